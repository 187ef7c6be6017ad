// The radiologist's report editor, for the radiologist holding the study while its
// report is a draft (or none): findings and impression with templates, ICD codes, the
// critical flag, autosave with its state in words, a version conflict shown as both
// texts, and signing with a confirmation. Ctrl+S saves now, Ctrl+Shift+Enter signs.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../../api/client';
import type { DiagnosisCode, Page, Report, StudyDetail } from '../../../api/types';
import { ProblemBanner } from '../../../components/ProblemBanner';
import { useI18n } from '../../../i18n/i18n';
import { useUser } from '../../../session';
import { CodePicker } from '../../../components/CodePicker';
import { ConflictPanel } from './ConflictPanel';
import { useKeys } from './keys';
import { SignDialog } from './SignDialog';
import { TemplatePicker, type ReportTemplate } from './TemplatePicker';
import { useDraft, type Draft } from './useDraft';
import './editor.css';

// The code list's own entry for each code (exact match ranks first in the search).
async function titlesOf(codes: string[]): Promise<Record<string, DiagnosisCode>> {
  const found = await Promise.all(
    codes.map((code) =>
      api<Page<DiagnosisCode>>(`/codes?q=${encodeURIComponent(code)}&limit=3`)
        .then((page) => page.items.find((entry) => entry.code === code))
        .catch(() => undefined),
    ),
  );
  return Object.fromEntries(found.filter((entry): entry is DiagnosisCode => !!entry).map((entry) => [entry.code, entry]));
}

function SaveState({ draft }: { draft: Draft }) {
  const { t, time } = useI18n();
  const words: Record<Draft['status'], string> = {
    new: t('report.editor.status.new'),
    saved: draft.savedAt ? t('report.editor.status.saved', { time: time(draft.savedAt).slice(0, 5) }) : '',
    dirty: t('report.editor.status.dirty'),
    saving: t('report.editor.status.saving'),
    offline: t('report.editor.status.offline'),
    failed: t('report.editor.status.failed'),
    conflict: t('report.editor.conflict.title'),
    lost: t('report.editor.lost_claim'),
  };
  return (
    <p class={`save-state save-${draft.status}`} role="status" aria-live="polite" data-save={draft.status}>
      {words[draft.status]}
    </p>
  );
}

export function ReportEditor({ study, server, onSigned }: { study: StudyDetail; server: Report | null; onSigned: (report: Report) => void }) {
  const { t, dateTime } = useI18n();
  const user = useUser();
  const draft = useDraft(study.study_uid, user.username, server);
  const { content } = draft;
  const [titles, setTitles] = useState<Record<string, DiagnosisCode>>({});
  const [signing, setSigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const blocked = draft.status === 'conflict' || draft.status === 'lost';

  useEffect(() => {
    const missing = content.icd_codes.filter((code) => !titles[code]);
    if (missing.length) titlesOf(missing).then((found) => setTitles((known) => ({ ...known, ...found })));
  }, [content.icd_codes.join(',')]);

  const insert = (template: ReportTemplate) => {
    draft.change({ findings: template.findings, impression: template.impression });
    setNotice(t('report.editor.template.inserted', { name: template.name }));
  };
  const sign = async () => {
    setBusy(true);
    const signed = await draft.sign();
    setBusy(false);
    setSigning(false);
    if (signed) onSigned(signed);
  };
  useKeys({
    'ctrl+s': () => void draft.saveNow(),
    'ctrl+shift+enter': () => !blocked && setSigning(true),
  });

  const text = (field: 'findings' | 'impression', rows: number) => (
    <label>
      {t(`report.editor.${field}`)}
      <textarea
        name={field}
        rows={rows}
        maxLength={65536}
        value={content[field]}
        onInput={(e) => draft.change({ [field]: (e.currentTarget as HTMLTextAreaElement).value })}
      />
    </label>
  );
  return (
    <section class="report-editor" aria-labelledby="editor-title" data-editor="draft">
      <h3 id="editor-title">{t('study.report.editor')}</h3>
      {draft.problem && <ProblemBanner problem={draft.problem} onRetry={() => void draft.saveNow()} />}
      {draft.restoredAt && (
        <p class="notice restored" role="status" data-restored="true">
          {t('report.editor.restored', { time: dateTime(draft.restoredAt) })}
        </p>
      )}
      {draft.theirs && (
        <ConflictPanel theirs={draft.theirs} mine={content} onKeepMine={draft.keepMine} onTakeTheirs={draft.takeTheirs} onEdit={draft.editBoth} />
      )}
      <TemplatePicker study={study} disabled={blocked} written={!!(content.findings.trim() || content.impression.trim())} onInsert={insert} />
      <p aria-live="polite" class="notice" data-notice="editor">
        {notice}
      </p>
      <div class={draft.reference ? 'editor-with-reference' : ''}>
        <div>
          {text('findings', 8)}
          {text('impression', 3)}
        </div>
        {draft.reference && (
          <aside class="conflict-side" data-side="reference" aria-labelledby="reference-title">
            <h4 id="reference-title">{t('report.editor.conflict.reference')}</h4>
            <p class="report-text">{draft.reference.findings || '—'}</p>
            <p class="report-text">{draft.reference.impression || '—'}</p>
            <button type="button" class="outline secondary small" onClick={draft.closeReference}>
              {t('report.editor.conflict.close')}
            </button>
          </aside>
        )}
      </div>
      <CodePicker
        id="report-codes"
        systems={['icd10', 'icd11']}
        label={t('report.editor.codes')}
        value={content.icd_codes}
        titles={titles}
        disabled={blocked}
        onChange={(codes, added) => {
          if (added) setTitles((known) => ({ ...known, [added.code]: added }));
          draft.change({ icd_codes: codes });
        }}
      />
      <label class="critical-flag">
        <input type="checkbox" role="switch" name="critical" checked={content.critical} onChange={(e) => draft.change({ critical: (e.currentTarget as HTMLInputElement).checked })} />
        {t('report.editor.critical')}
      </label>
      <div class="editor-actions">
        <SaveState draft={draft} />
        <button type="button" class="secondary" disabled={blocked || draft.status === 'saving'} onClick={() => void draft.saveNow()} data-action="save" aria-keyshortcuts="Control+S">
          {t('report.editor.save')}
        </button>
        <button type="button" disabled={blocked} onClick={() => setSigning(true)} data-action="sign" aria-keyshortcuts="Control+Shift+Enter">
          {t('report.editor.sign')}
        </button>
      </div>
      <SignDialog open={signing} draft={content} titles={titles} busy={busy} onSign={sign} onClose={() => setSigning(false)} />
    </section>
  );
}
