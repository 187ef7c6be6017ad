// One study of the worklist: priority (STAT and urgent marked in words and colour), the
// patient, the study, the sending facility, when it came, the time left to its SLA
// deadline, and what the radiologist can do with it.
import type { Study } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { personName } from '../format';

export interface RowActions {
  claim?: (study: Study) => void;
  release?: (study: Study) => void;
  busy: boolean;
}

export function SlaLeft({ dueAt, now }: { dueAt: string | null; now: number }) {
  const { t, duration } = useI18n();
  if (!dueAt) return <span>{t('sla.none')}</span>;
  const left = new Date(dueAt).getTime() - now;
  const state = left < 0 ? 'over' : left < 3600_000 ? 'soon' : 'ok';
  return (
    <span class={`sla sla-${state}`} data-sla={state}>
      {t(left < 0 ? 'sla.over' : 'sla.left', { time: duration(left) })}
    </span>
  );
}

export function StudyRow({ study, now, me, actions }: { study: Study; now: number; me: string; actions: RowActions }) {
  const { t, dateTime } = useI18n();
  const mine = study.claimed_by === me;
  return (
    <tr class={`priority-${study.priority}${mine ? ' mine' : ''}`} data-study={study.study_uid}>
      <td>
        <span class={`badge badge-${study.priority}`}>{t(`priority.${study.priority}` as MessageKey)}</span>
      </td>
      <td>
        <a href={`/app/studies/${encodeURIComponent(study.study_uid)}`} data-action="study">
          <strong>{personName(study.patient.name) || '—'}</strong>
        </a>
        <br />
        <small>
          {study.patient.id}
          {['M', 'F', 'O'].includes(study.patient.sex) && ` · ${t(`patient.sex.${study.patient.sex}` as MessageKey)}`}
        </small>
      </td>
      <td>
        {t(`modality.${study.modality_class}` as MessageKey)}
        {study.description && <> · {study.description}</>}
        <br />
        <small>
          {study.modalities.join(', ')} · {t('study.images', { n: study.num_instances })}
          {study.claimed_by && <> · {mine ? t('claimed.you') : t('claimed.by', { user: study.claimed_by })}</>}
        </small>
      </td>
      <td>
        {study.facility.name}
        <br />
        <small>{study.facility.aimag}</small>
      </td>
      <td class="col-received">
        <time dateTime={study.received_at}>{dateTime(study.received_at)}</time>
      </td>
      <td>
        <SlaLeft dueAt={study.sla_due_at} now={now} />
      </td>
      <td class="actions">
        {actions.claim && study.status === 'ready' && (
          <button type="button" disabled={actions.busy} onClick={() => actions.claim!(study)} data-action="claim">
            {t('action.claim')}
          </button>
        )}
        {actions.release && mine && (
          <button type="button" class="secondary" disabled={actions.busy} onClick={() => actions.release!(study)} data-action="release">
            {t('action.release')}
          </button>
        )}
        <a href={study.viewer_url} target="_blank" rel="noopener" role="button" class="outline" data-action="open">
          {t('action.open')}
        </a>
      </td>
    </tr>
  );
}

export function StudyTable({ studies, now, me, actions, caption }: { studies: Study[]; now: number; me: string; actions: RowActions; caption: string }) {
  const { t } = useI18n();
  return (
    <div class="overflow-auto">
      <table class="striped worklist-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.priority')}</th>
            <th scope="col">{t('col.patient')}</th>
            <th scope="col">{t('col.study')}</th>
            <th scope="col">{t('col.facility')}</th>
            <th scope="col" class="col-received">
              {t('col.received')}
            </th>
            <th scope="col">{t('col.sla')}</th>
            <th scope="col">{t('col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {studies.map((study) => (
            <StudyRow key={study.study_uid} study={study} now={now} me={me} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
