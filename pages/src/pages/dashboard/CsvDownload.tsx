// Downloads the half-year report as the server's CSV (GET /kpi/report, Accept: text/csv),
// fetched with the session so that a failure (an expired session, an outage) is said in
// words on the page rather than saved as a file; the bytes are saved untouched (the byte
// order mark that spreadsheets need for Mongolian stays).
import { useState } from 'preact/hooks';
import { apiBlob, problemOf, type Problem } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { useI18n } from '../../i18n/i18n';

export function CsvDownload({ period }: { period: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const blob = await apiBlob(`/kpi/report?period=${encodeURIComponent(period)}`, 'text/csv');
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `telerad-kpi-report-${period}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="kpi-csv">
      <button type="button" class="secondary" onClick={download} aria-busy={busy} disabled={busy} data-action="csv">
        {t('dashboard.csv', { period })}
      </button>
      {problem && <ProblemBanner problem={problem} onRetry={download} />}
    </div>
  );
}
