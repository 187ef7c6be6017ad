// Register a facility, or edit one: name, aimag and soum, the calling AE title, the
// return DICOM address (all three parts, or none), the allowed networks, active. The
// code is the facility's key and is set once.
import { useState } from 'preact/hooks';
import { api, ApiError, problemOf } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { FeedbackView, type Feedback } from './Feedback';
import type { Facility } from './types';

interface Draft {
  code: string;
  name: string;
  aimag: string;
  soum: string;
  ae_title: string;
  active: boolean;
  host: string;
  port: string;
  return_ae: string;
  networks: string;
}

function draftOf(f: Facility | null): Draft {
  return {
    code: f?.code ?? '',
    name: f?.name ?? '',
    aimag: f?.aimag ?? '',
    soum: f?.soum ?? '',
    ae_title: f?.ae_title ?? '',
    active: f?.active ?? true,
    host: f?.return_dicom?.host ?? '',
    port: f?.return_dicom ? String(f.return_dicom.port) : '',
    return_ae: f?.return_dicom?.ae_title ?? '',
    networks: (f?.allowed_networks ?? []).join(', '),
  };
}

export function FacilityForm({
  facility,
  feedback,
  onSaved,
  onStale,
  onCancel,
}: {
  facility: Facility | null;
  feedback: Feedback; // the parent's: the notice outlives this form, which a save remounts
  onSaved: (f: Facility) => void;
  onStale: () => void; // the entry changed since it was loaded (412)
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(facility));
  const [version, setVersion] = useState(facility?.version);
  const set = (key: keyof Draft) => (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    setDraft({ ...draft, [key]: input.type === 'checkbox' ? input.checked : input.value });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const parts = [draft.host.trim(), draft.port.trim(), draft.return_ae.trim()];
    const filled = parts.filter(Boolean).length;
    if (filled !== 0 && filled !== 3) {
      feedback.fail({ kind: 'invalid', status: 0, message: t('admin.facility.return.partial') });
      return;
    }
    const body = {
      name: draft.name.trim(),
      aimag: draft.aimag.trim(),
      soum: draft.soum.trim(),
      ae_title: draft.ae_title.trim(),
      active: draft.active,
      return_dicom: filled ? { host: parts[0], port: Number(parts[1]), ae_title: parts[2] } : null,
      allowed_networks: draft.networks.split(/[\s,]+/).filter(Boolean),
    };
    // An edit names the version it was loaded at (then the one its own last save made):
    // the form sends every field, so a change another admin saved meanwhile would
    // otherwise be overwritten unseen (412 instead).
    const change = (current: Facility) =>
      api<Facility>('/facilities/' + encodeURIComponent(current.code), { method: 'PATCH', body, ifMatch: version }).catch((error: unknown) => {
        const problem = problemOf(error);
        if (problem.status !== 412) throw error;
        onStale(); // the parent reloads, and this form comes back with the other admin's entry
        throw new ApiError({ ...problem, message: t('admin.facility.conflict') });
      });
    const saved = await feedback.run(
      () => (facility ? change(facility) : api<Facility>('/facilities', { method: 'POST', body: { code: draft.code.trim(), ...body } })),
      (f) => t(facility ? 'admin.facility.saved' : 'admin.facility.created', { code: f.code }),
    );
    if (saved) {
      setVersion(saved.version);
      onSaved(saved);
    }
  };
  const field = (key: keyof Draft, label: string, extra: Record<string, unknown> = {}, hint?: string) => (
    <label>
      {label}
      <input name={key} value={draft[key] as string} onInput={set(key)} aria-describedby={hint ? `hint-${key}` : undefined} {...extra} />
      {hint && <small id={`hint-${key}`}>{hint}</small>}
    </label>
  );
  return (
    <form class="admin-form" onSubmit={submit} data-form="facility" aria-labelledby="facility-form-title">
      <h2 id="facility-form-title">{facility ? t('admin.facility.editing', { code: facility.code }) : t('admin.facility.new')}</h2>
      <FeedbackView feedback={feedback} name="facility" />
      <div class="grid-form">
        {!facility &&
          field('code', t('admin.facility.code'), { required: true, maxLength: 32, pattern: '[A-Za-z0-9_\\-]{1,32}' }, t('admin.facility.code.hint'))}
        {field('name', t('admin.facility.name'), { required: true, maxLength: 200 })}
        {field('aimag', t('admin.facility.aimag'), { required: true, maxLength: 100 })}
        {field('soum', t('admin.facility.soum'), { maxLength: 100 })}
        {field('ae_title', t('admin.facility.ae_title'), { required: true, maxLength: 16 }, t('admin.facility.ae_title.hint'))}
      </div>
      <fieldset>
        <legend>{t('admin.facility.return')}</legend>
        <small id="hint-return">{t('admin.facility.return.hint')}</small>
        <div class="grid-form">
          {field('host', t('admin.facility.return.host'), { maxLength: 255 })}
          {field('port', t('admin.facility.return.port'), { type: 'number', min: 1, max: 65535 })}
          {field('return_ae', t('admin.facility.return.ae'), { maxLength: 16 })}
        </div>
      </fieldset>
      {field('networks', t('admin.facility.networks'), { maxLength: 2000 }, t('admin.facility.networks.hint'))}
      <label>
        <input type="checkbox" name="active" role="switch" checked={draft.active} onChange={set('active')} />
        {t('admin.facility.active')}
      </label>
      <div class="form-buttons">
        <button type="submit" disabled={feedback.busy} aria-busy={feedback.busy} data-action="save-facility">
          {facility ? t('admin.save') : t('admin.facility.new')}
        </button>
        {facility && (
          <button type="button" class="secondary outline" onClick={onCancel}>
            {t('admin.facility.new')}
          </button>
        )}
      </div>
    </form>
  );
}
