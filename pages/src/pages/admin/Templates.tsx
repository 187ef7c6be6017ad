// Report templates for the report editor: list (admins see inactive ones too), create,
// edit and delete. An edit names the version it started from; when someone else saved
// in between the server answers 412 and the page says so in words, with a button that
// loads the new version.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import type { ModalityClass, Page } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { AdminTable } from './AdminTable';
import { ConfirmButton, FeedbackView, useFeedback } from './Feedback';
import type { ReportTemplate } from './types';

const modalities: ModalityClass[] = ['CT', 'XRAY', 'OTHER'];

type Draft = Omit<ReportTemplate, 'id' | 'version' | 'updated_at' | 'updated_by'>;
const empty: Draft = { name: '', language: 'mn', modality_class: null, body_part: null, findings: '', impression: '', active: true };

export function Templates() {
  const { t, dateTime } = useI18n();
  const [templates, setTemplates] = useState<ReportTemplate[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [editing, setEditing] = useState<ReportTemplate | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const [stale, setStale] = useState(false);
  const reloadButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (stale) reloadButton.current?.focus(); // the conflict is said where the user is
  }, [stale]);
  const feedback = useFeedback();
  const load = useCallback(async () => {
    try {
      const page = await api<Page<ReportTemplate>>('/report-templates');
      setTemplates(page.items);
      setProblem(null);
      return page.items;
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
      return null;
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  const startEdit = (template: ReportTemplate | null) => {
    setEditing(template);
    setStale(false);
    setDraft(template ? { ...template } : empty);
  };
  const reloadEdited = async () => {
    const fresh = await load();
    const latest = fresh?.find((x) => x.id === editing?.id) ?? null;
    feedback.clear();
    startEdit(latest);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setStale(false);
    const { name, language, modality_class, findings, impression, active } = draft;
    const body = {
      ...{ name, language, modality_class, findings, impression, active },
      body_part: draft.body_part?.trim() || null,
      ...(editing ? { version: editing.version } : {}),
    };
    const saved = await feedback.run(
      async () => {
        try {
          return await api<ReportTemplate>(editing ? `/report-templates/${editing.id}` : '/report-templates', {
            method: editing ? 'PUT' : 'POST',
            body,
          });
        } catch (error) {
          if (problemOf(error).status === 412) setStale(true);
          throw error;
        }
      },
      (x) => t(editing ? 'admin.template.saved' : 'admin.template.created', { name: x.name }),
    );
    if (saved) {
      await load();
      startEdit(saved);
    }
  };
  const remove = (template: ReportTemplate) =>
    feedback
      .run(
        () => api(`/report-templates/${template.id}`, { method: 'DELETE' }),
        () => t('admin.template.deleted', { name: template.name }),
      )
      .then(() => {
        if (editing?.id === template.id) startEdit(null);
        load();
      });

  return (
    <div class="admin-section" data-section="templates">
      <h2>{t('admin.template.list')}</h2>
      {!stale && <FeedbackView feedback={feedback} name="templates" />}
      <AdminTable
        name="templates"
        loaded={templates !== null}
        problem={problem}
        onRetry={load}
        columns={['admin.template.name', 'admin.template.language', 'admin.template.modality', 'admin.template.body_part', 'admin.user.state', 'admin.template.updated_by', 'admin.actions']}
        empty={templates?.length === 0}
      >
        {templates?.map((x) => (
          <tr key={x.id} data-template={x.id}>
            <td>{x.name}</td>
            <td>{x.language}</td>
            <td>{x.modality_class ? t(`modality.${x.modality_class}` as MessageKey) : t('admin.template.any')}</td>
            <td>{x.body_part ?? t('admin.template.any')}</td>
            <td>{x.active ? t('admin.active') : <strong>{t('admin.inactive')}</strong>}</td>
            <td>
              {x.updated_by} <small class="muted">{dateTime(x.updated_at)}</small>
            </td>
            <td class="row-actions">
              <button type="button" class="secondary outline small" onClick={() => startEdit(x)} data-action="edit-template">
                {t('admin.edit')}
              </button>{' '}
              <ConfirmButton
                label={t('admin.delete')}
                what={t('admin.template.delete.what', { name: x.name })}
                onConfirm={() => remove(x)}
                disabled={feedback.busy}
                action="delete-template"
              />
            </td>
          </tr>
        ))}
      </AdminTable>
      <form class="admin-form" onSubmit={save} data-form="template" aria-labelledby="template-form-title">
        <h2 id="template-form-title">
          {editing ? t('admin.template.editing', { name: editing.name, version: editing.version }) : t('admin.template.new')}
        </h2>
        <div class="grid-form">
          <label>
            {t('admin.template.name')}
            <input name="name" required maxLength={200} value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
          </label>
          <label>
            {t('admin.template.language')}
            <select name="language" value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.currentTarget.value as 'mn' | 'en' })}>
              <option value="mn">Монгол</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            {t('admin.template.modality')}
            <select
              name="modality_class"
              value={draft.modality_class ?? ''}
              onChange={(e) => setDraft({ ...draft, modality_class: (e.currentTarget.value || null) as ModalityClass | null })}
            >
              <option value="">{t('admin.template.any')}</option>
              {modalities.map((m) => (
                <option value={m} key={m}>
                  {t(`modality.${m}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.template.body_part')}
            <input
              name="body_part"
              maxLength={16}
              placeholder={t('admin.template.body_part.hint')}
              value={draft.body_part ?? ''}
              onInput={(e) => setDraft({ ...draft, body_part: e.currentTarget.value })}
            />
          </label>
        </div>
        <label>
          {t('admin.template.findings')}
          <textarea name="findings" rows={4} value={draft.findings} onInput={(e) => setDraft({ ...draft, findings: e.currentTarget.value })} />
        </label>
        <label>
          {t('admin.template.impression')}
          <textarea name="impression" rows={3} value={draft.impression} onInput={(e) => setDraft({ ...draft, impression: e.currentTarget.value })} />
        </label>
        <label>
          <input type="checkbox" role="switch" name="active" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.currentTarget.checked })} />
          {t('admin.template.active')}
        </label>
        {stale && (
          <div class="problem problem-conflict" role="alert" data-problem="stale-template">
            <p>
              <strong>{t('admin.template.conflict')}</strong>
            </p>
            <button type="button" class="secondary" ref={reloadButton} onClick={reloadEdited} data-action="reload-template">
              {t('admin.template.reload')}
            </button>
          </div>
        )}
        <div class="form-buttons">
          <button type="submit" disabled={feedback.busy} data-action="save-template">
            {t('admin.save')}
          </button>
          {editing && (
            <button type="button" class="secondary outline" onClick={() => startEdit(null)}>
              {t('admin.template.new')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
