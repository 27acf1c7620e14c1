/**
 * Progress over time (recharts), across the goal's period when it has one: the objective as a bold
 * line, each key result as a thin one, and the pace expected to finish on time as a grey line.
 */
import { useSyncExternalStore } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { paceSeries } from '../../../shared/model';
import type { Goal } from '../../../shared/schema/records';
import {
  formatClock,
  formatShortDate,
  formatShortTime,
  formatWhen,
  periodEndsAt,
  periodStartsAt,
} from './format';

const PALETTE = {
  light: {
    objective: '#2563eb',
    lines: ['#0f766e', '#c2410c', '#7c3aed', '#be185d', '#4d7c0f', '#0369a1'],
    grid: '#e3e3de',
    pace: '#6b7280',
    text: '#656d76',
    tooltip: '#ffffff',
  },
  dark: {
    objective: '#5b8cff',
    lines: ['#2dd4bf', '#fb923c', '#a78bfa', '#f472b6', '#a3e635', '#38bdf8'],
    grid: '#2e3137',
    pace: '#9ca3af',
    text: '#9a9fa7',
    tooltip: '#1f2125',
  },
};

function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
const readTheme = () => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

export function ProgressChart({ goal }: { readonly goal: Goal }) {
  const theme = useSyncExternalStore(subscribeTheme, readTheme);
  const colors = PALETTE[theme];
  const live = goal.keyResults.filter((kr) => kr.deletedAt === null);
  const data = paceSeries(goal, periodStartsAt(goal), periodEndsAt(goal));
  const paced = data.some((point) => point.expected !== null);
  const span = (data.at(-1)?.at ?? 0) - (data[0]?.at ?? 0);
  // Within two days, dates alone would repeat on every tick; show the time of day instead.
  const tick =
    span < 2 * 3_600_000 ? formatClock : span < 2 * 86_400_000 ? formatShortTime : formatShortDate;
  const checkIns = live.reduce((sum, kr) => sum + kr.checkIns.length, 0);
  return (
    <section className="goal-section" aria-labelledby="chart-heading">
      <h2 id="chart-heading">Progress over time</h2>
      {checkIns === 0 && !paced ? (
        <p className="hint">
          The chart starts with the first check-in. Give the goal a period to see the pace it needs.
        </p>
      ) : (
        <div
          className="chart"
          role="img"
          aria-label={`Progress chart with ${checkIns} check-in${checkIns === 1 ? '' : 's'}${paced ? ' and the expected pace over the period' : ''}`}
          data-points={data.filter((point) => point.objective !== null).length}
        >
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -12 }}>
              <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
              <XAxis
                dataKey="at"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={(value: number) => tick(value)}
                tickCount={5}
                stroke={colors.text}
                fontSize={12}
              />
              <YAxis
                domain={[0, 100]}
                ticks={[0, 25, 50, 75, 100]}
                tickFormatter={(value: number) => `${value}%`}
                stroke={colors.text}
                fontSize={12}
              />
              <Tooltip
                labelFormatter={(value) => formatWhen(Number(value))}
                formatter={(value) => (value === null ? '—' : `${String(value)}%`)}
                contentStyle={{
                  background: colors.tooltip,
                  borderColor: colors.grid,
                  borderRadius: 6,
                }}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {paced && (
                <Line
                  type="linear"
                  dataKey="expected"
                  name="Expected pace"
                  stroke={colors.pace}
                  strokeWidth={1.5}
                  strokeDasharray="2 4"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              )}
              <Line
                type="stepAfter"
                dataKey="objective"
                name="Objective"
                stroke={colors.objective}
                strokeWidth={3}
                dot={{ r: 3 }}
                isAnimationActive={false}
                connectNulls
              />
              {live.map((kr, index) => (
                <Line
                  key={kr.id}
                  type="stepAfter"
                  dataKey={kr.id}
                  name={kr.title}
                  stroke={colors.lines[index % colors.lines.length]}
                  strokeWidth={1.5}
                  strokeDasharray="5 3"
                  dot={{ r: 2 }}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
