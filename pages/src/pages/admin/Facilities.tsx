// The facilities the server accepts studies from: the list, a form to register one or
// edit the chosen one (?code=… in the URL, so a reload keeps it), and the chosen
// facility's machine tokens.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../../api/client';
import type { Page } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { AdminTable } from './AdminTable';
import { useFeedback } from './Feedback';
import { FacilityForm } from './FacilityForm';
import { MachineTokens } from './MachineTokens';
import type { Facility } from './types';

export function Facilities() {
  const { t } = useI18n();
  const { query, route } = useLocation();
  const [facilities, setFacilities] = useState<Facility[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const feedback = useFeedback();
  const [reloads, setReloads] = useState(0); // the form is drawn anew after a stale save
  const load = useCallback(async () => {
    try {
      setFacilities((await api<Page<Facility>>('/facilities')).items);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const chosen = facilities?.find((f) => f.code === query.code) ?? null;
  const choose = (code: string | null) => route('/app/admin/facilities' + (code ? '?code=' + encodeURIComponent(code) : ''));

  return (
    <div class="admin-section" data-section="facilities">
      <h2>{t('admin.facility.list')}</h2>
      <AdminTable
        name="facilities"
        loaded={facilities !== null}
        problem={problem}
        onRetry={load}
        columns={['admin.facility.code', 'admin.facility.name', 'admin.facility.aimag', 'admin.facility.ae_title', 'admin.facility.return', 'admin.user.state', 'admin.actions']}
      >
        {facilities?.map((f) => (
          <tr key={f.code} data-facility={f.code} aria-current={f.code === chosen?.code ? 'true' : undefined}>
            <td>
              <code>{f.code}</code>
            </td>
            <td>{f.name}</td>
            <td>
              {f.aimag}
              {f.soum && <small class="muted"> / {f.soum}</small>}
            </td>
            <td>
              <code>{f.ae_title}</code>
            </td>
            <td data-field="return">
              {f.return_dicom ? (
                <code>
                  {f.return_dicom.ae_title}@{f.return_dicom.host}:{f.return_dicom.port}
                </code>
              ) : (
                <small class="muted">{t('admin.facility.return.none')}</small>
              )}
            </td>
            <td>{f.active ? t('admin.active') : <strong>{t('admin.inactive')}</strong>}</td>
            <td>
              <button type="button" class="secondary outline small" onClick={() => choose(f.code)} data-action="edit-facility">
                {t('admin.edit')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      {facilities && (
        <FacilityForm
          key={chosen ? `${chosen.code}:${reloads}` : 'new'}
          facility={chosen}
          feedback={feedback}
          onSaved={(saved) => {
            load();
            choose(saved.code);
          }}
          onStale={async () => {
            await load();
            setReloads((n) => n + 1); // a fresh form with the entry as it now is
          }}
          onCancel={() => {
            feedback.clear();
            choose(null);
          }}
        />
      )}
      {chosen && <MachineTokens key={chosen.code} code={chosen.code} />}
    </div>
  );
}
