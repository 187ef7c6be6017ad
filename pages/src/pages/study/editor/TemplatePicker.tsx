// The templates that fit the study (its modality class and body part, in the page's
// language; the specific first), inserted on choice. Text already written is replaced
// only when the radiologist confirms it.
import { useEffect, useState } from 'preact/hooks';
import { api, dicomweb } from '../../../api/client';
import type { DicomJson, Page, StudyDetail } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';

export interface ReportTemplate {
  id: number;
  name: string;
  findings: string;
  impression: string;
  body_part: string | null;
  modality_class: string | null;
}

// Body Part Examined (0018,0015) of the study's first series that names one: QIDO-RS
// answers it from one instance's stored metadata when the index does not hold it.
async function bodyPartOf(studyUid: string): Promise<string | null> {
  try {
    const series = await dicomweb<DicomJson[]>(`/studies/${encodeURIComponent(studyUid)}/series?includefield=00180015`);
    for (const one of series) {
      const value = one['00180015']?.Value?.[0];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  } catch {
    // no body part known: the templates for the modality and for any body part
  }
  return null;
}

export function TemplatePicker({ study, disabled, written, onInsert }: {
  study: StudyDetail;
  disabled?: boolean;
  written: boolean;
  onInsert: (template: ReportTemplate) => void;
}) {
  const { t, lang } = useI18n();
  const [templates, setTemplates] = useState<ReportTemplate[] | null>(null);
  const [choice, setChoice] = useState('');

  useEffect(() => {
    let live = true;
    (async () => {
      const bodyPart = await bodyPartOf(study.study_uid);
      const query = `language=${lang}&modality_class=${study.modality_class}` + (bodyPart ? `&body_part=${encodeURIComponent(bodyPart)}` : '');
      try {
        const page = await api<Page<ReportTemplate>>(`/report-templates?${query}`);
        if (live) setTemplates(page.items);
      } catch {
        if (live) setTemplates([]);
      }
    })();
    return () => {
      live = false;
    };
  }, [study.study_uid, lang]);

  const choose = (event: Event) => {
    const select = event.currentTarget as HTMLSelectElement;
    const template = templates?.find((one) => String(one.id) === select.value);
    setChoice('');
    select.value = '';
    if (!template) return;
    if (written && !window.confirm(t('report.editor.template.replace', { name: template.name }))) return;
    onInsert(template);
  };
  if (templates && !templates.length) return <p class="template-none">{t('report.editor.template.none')}</p>;
  return (
    <label class="template-picker">
      {t('report.editor.template')}
      <select value={choice} disabled={disabled || !templates} onChange={choose} data-templates={templates ? templates.length : 'loading'}>
        <option value="">{t('report.editor.template.choose')}</option>
        {templates?.map((one) => (
          <option key={one.id} value={String(one.id)}>
            {one.name}
          </option>
        ))}
      </select>
    </label>
  );
}
