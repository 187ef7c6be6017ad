// Chart.js with only what the dashboard draws (bar charts, their axes, legend and
// tooltips) registered. Loaded by a dynamic import() from KpiChart, so esbuild puts it in
// a chunk of its own that only the dashboard downloads.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export { Chart };
