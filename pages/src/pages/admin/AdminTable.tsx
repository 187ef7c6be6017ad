// The list every registry section shows: its problem in words with a retry, "loading"
// until the first answer, then a striped table (scrolling sideways on a narrow screen)
// whose header names the columns in the page's language. `data-loaded` tells the tests
// (and anyone reading the page's source) that the list arrived.
import type { ComponentChildren } from 'preact';
import type { Problem } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { AdminProblem } from './Feedback';

export function AdminTable({ name, loaded, problem, onRetry, columns, empty, children }: {
  name: string;
  loaded: boolean;
  problem: Problem | null;
  onRetry: () => void;
  columns: MessageKey[];
  empty?: boolean; // loaded, and no row to show: said in words under the header
  children: ComponentChildren; // the rows
}) {
  const { t } = useI18n();
  return (
    <>
      {problem && <AdminProblem problem={problem} onRetry={onRetry} />}
      {!loaded && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {loaded && (
        <div class="table-scroll" data-loaded={name}>
          <table class="admin-table striped">
            <thead>
              <tr>
                {columns.map((key) => (
                  <th scope="col" key={key}>
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
          {empty && <p>{t('admin.none')}</p>}
        </div>
      )}
    </>
  );
}
