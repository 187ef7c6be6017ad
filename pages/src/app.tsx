// The shell every page shares: language, session, the header, and the page for the
// path. Signed out, every page is the sign-in page, which returns to the page asked for
// (`next`); a page the role may not see is refused in words before anything is asked
// of the server. The router handles only /app/… links; /viewer… and the rest are
// ordinary navigations to the viewer (README, "The pages and the viewer on one origin").
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import lazy from 'preact-iso/lazy';
// The styles of the pages loaded as chunks of their own (below) go in the main style
// sheet: index.html links no chunk's CSS.
import './components/CodePicker.css';
import './pages/admin/admin.css';
import './pages/dashboard/dashboard.css';
import './pages/exams/exams.css';
import { Header } from './components/Header';
import { ProblemBanner } from './components/ProblemBanner';
import { Refused } from './components/Refused';
import { I18nProvider, useI18n } from './i18n/i18n';
import { entryOf, studyPage } from './nav';
import { Home } from './pages/Home';
import { Inbox } from './pages/Inbox';
import { NotFound } from './pages/NotFound';
import { ReportPage } from './pages/ReportPage';
import { safeNext, SignIn } from './pages/SignIn';
import { Worklist } from './pages/Worklist';
import { StudyPage } from './pages/study/StudyPage';
import { SessionProvider, useSession, useUser } from './session';

function RolePage({ path, page: Page }: { path: string; page: ComponentType }) {
  const user = useUser();
  const entry = path === studyPage.path ? studyPage : entryOf(path);
  if (!entry) return <NotFound />;
  return entry.roles.includes(user.role) ? <Page /> : <Refused page={entry.label} role={user.role} />;
}

const WorklistPage = () => <RolePage path="/app/worklist" page={Worklist} />;
const InboxPage = () => <RolePage path="/app/inbox" page={Inbox} />;
const ReportPrintPage = () => <RolePage path="/app/reports" page={ReportPage} />;
// The pages of one role each are chunks of their own, fetched when opened: the
// worklist's first load (a radiologist on a rural link) carries none of their code.
const Dashboard = lazy(() => import('./pages/dashboard/Dashboard').then((m) => m.Dashboard));
const Exams = lazy(() => import('./pages/exams/Exams').then((m) => m.Exams));
const Queue = lazy(() => import('./pages/exams/Queue').then((m) => m.Queue));
const DashboardPage = () => <RolePage path="/app/dashboard" page={Dashboard} />;
const ExamsPage = () => <RolePage path="/app/exams" page={Exams} />;
const QueuePage = () => <RolePage path="/app/queue" page={Queue} />;
const StudyRoute = () => <RolePage path={studyPage.path} page={StudyPage} />;
// The registry, the admin's alone, likewise.
const AdminPage = lazy(() => import('./pages/admin/AdminPage').then((m) => m.AdminPage));
const AdminRoute = () => <RolePage path="/app/admin" page={AdminPage} />;

function Shell() {
  const { t } = useI18n();
  const { state, reload } = useSession();
  const { path, url, query, route } = useLocation();
  const onSignIn = path === '/app/signin';
  useEffect(() => {
    if (state.status === 'signed_out' && !onSignIn) route('/app/signin?next=' + encodeURIComponent(url), true);
    if (state.status === 'signed_in' && onSignIn) route(safeNext(query.next), true);
  }, [state.status, onSignIn]);
  return (
    <>
      <a href="#main" class="skip-link">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" class="container" tabIndex={-1}>
        {state.status === 'loading' && <p aria-busy="true">{t('app.loading')}</p>}
        {state.status === 'unreachable' && <ProblemBanner problem={state.problem} onRetry={reload} />}
        {state.status === 'signed_out' && onSignIn && <SignIn />}
        {state.status === 'signed_in' && !onSignIn && (
          <Router>
            <Route path="/" component={Home} />
            <Route path="/app" component={Home} />
            <Route path="/app/worklist" component={WorklistPage} />
            <Route path="/app/inbox" component={InboxPage} />
            <Route path="/app/dashboard" component={DashboardPage} />
            <Route path="/app/reports/:study_uid" component={ReportPrintPage} />
            <Route path="/app/studies/:study_uid" component={StudyRoute} />
            <Route path="/app/exams" component={ExamsPage} />
            <Route path="/app/queue" component={QueuePage} />
            <Route path="/app/admin" component={AdminRoute} />
            <Route path="/app/admin/:section" component={AdminRoute} />
            <Route default component={NotFound} />
          </Router>
        )}
      </main>
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <LocationProvider scope="/app">
          <Shell />
        </LocationProvider>
      </SessionProvider>
    </I18nProvider>
  );
}
