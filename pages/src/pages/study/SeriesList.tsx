// The study's series, each with a thumbnail the server renders (WADO-RS rendered,
// PS3.18 10.4.1.1.3; the cookie session goes along with an <img> on the same origin),
// loaded only as it scrolls into view: a CT of forty series costs nothing unseen.
import type { StudyDetail } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

export function SeriesList({ study }: { study: StudyDetail }) {
  const { t } = useI18n();
  const base = `/dicomweb/studies/${encodeURIComponent(study.study_uid)}/series/`;
  return (
    <section aria-labelledby="series-title" class="series-section">
      <h2 id="series-title">{t('study.series', { n: study.series.length })}</h2>
      <ul class="series-list">
        {study.series.map((series) => (
          <li key={series.series_uid} data-series={series.series_uid}>
            <img
              src={`${base}${encodeURIComponent(series.series_uid)}/rendered?viewport=128,128`}
              loading="lazy"
              width={128}
              height={128}
              alt={t('study.thumbnail', { modality: series.modality, number: series.series_number ?? '' })}
            />
            <div>
              <strong>{series.modality}</strong>
              {series.series_number !== null && <> · #{series.series_number}</>}
              <br />
              {series.description || '—'}
              <br />
              <small>{t('study.images', { n: series.num_instances })}</small>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
