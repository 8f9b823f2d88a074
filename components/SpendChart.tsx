import type { InsightsView } from '@/lib/protocol/views'
import { formatDollars as usd } from '@/lib/shared/amounts'

/** Enough distinct colours for the top sites; the rest share the last. */
const colours = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#57606a']
const width = 300
const height = 130
/** Room for the value axis (left) and the day axis (bottom). */
const left = 38
const bottom = 16
const top = 8
const plotHeight = height - bottom - top

/** "2026-12-03" → "Dec 3", in the reader's language. */
function dayLabel(day: string): string {
  return new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}

/**
 * Spend per site per day over the last 30 days, as stacked bars in plain
 * SVG: dollars on the left axis (the busiest day and half of it), days
 * along the bottom (first, middle, last), each day's total in its tooltip,
 * a legend of sites with their totals (`role="img"`, with a title and a
 * description that say what it shows), then the same money as a table by
 * site and month.
 */
export function SpendChart({ insights }: { insights: InsightsView }) {
  if (insights.sites.length === 0) return null
  const totals = insights.days.map((_, day) => insights.sites.reduce((sum, site) => sum + BigInt(site.perDay[day]!), 0n))
  const highest = totals.reduce((a, b) => (a > b ? a : b), 0n)
  const scale = (amount: bigint) => (highest === 0n ? 0 : Number((amount * BigInt(plotHeight * 1000)) / highest) / 1000)
  const barWidth = (width - left) / insights.days.length
  const baseline = height - bottom
  // Days named on the axis: the first, the middle and the last.
  const named = [...new Set([0, Math.floor((insights.days.length - 1) / 2), insights.days.length - 1])]
  const busiest = insights.days[totals.indexOf(highest)]
  const summary = `${insights.sites.length} site${insights.sites.length === 1 ? '' : 's'}, ${usd(insights.sites.reduce((sum, site) => sum + BigInt(site.total), 0n))} in total from ${insights.days[0]} to ${insights.days.at(-1)}; the most in one day was ${usd(highest)} on ${busiest}. ${insights.sites.map((site) => `${site.origin}: ${usd(site.total)}`).join('; ')}.`
  return (
    <section className="card" aria-labelledby="spend-heading">
      <h2 id="spend-heading">Spend, last 30 days</h2>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="spend-chart-title spend-chart-desc" data-testid="spend-chart">
        <title id="spend-chart-title">Spend per site per day, last 30 days</title>
        <desc id="spend-chart-desc">{summary}</desc>
        <g className="axis" fontSize="9" fill="currentColor">
          {[highest, highest / 2n].filter((value) => value > 0n).map((value) => (
            <g key={`y${value}`}>
              <line x1={left} x2={width} y1={baseline - scale(value)} y2={baseline - scale(value)} stroke="currentColor" strokeOpacity="0.2" />
              <text x={left - 3} y={baseline - scale(value) + 3} textAnchor="end">
                {usd(value)}
              </text>
            </g>
          ))}
          <line x1={left} x2={width} y1={baseline} y2={baseline} stroke="currentColor" strokeOpacity="0.5" />
          {named.map((index) => (
            <text key={`x${index}`} x={left + (index + 0.5) * barWidth} y={height - 4} textAnchor={index === 0 ? 'start' : index === insights.days.length - 1 ? 'end' : 'middle'}>
              {dayLabel(insights.days[index]!)}
            </text>
          ))}
        </g>
        {insights.days.map((day, index) => {
          let y = baseline
          return (
            <g key={day}>
              <title>{`${dayLabel(day)}: ${usd(totals[index]!)}`}</title>
              {insights.sites.map((site, siteIndex) => {
                const h = scale(BigInt(site.perDay[index]!))
                y -= h
                return h > 0 ? <rect key={site.origin} x={left + index * barWidth + 1} y={y} width={Math.max(barWidth - 2, 1)} height={h} fill={colours[Math.min(siteIndex, colours.length - 1)]} /> : null
              })}
            </g>
          )
        })}
      </svg>
      <ul className="legend small">
        {insights.sites.map((site, index) => (
          <li key={site.origin}>
            <span className="swatch" style={{ background: colours[Math.min(index, colours.length - 1)] }} aria-hidden="true" /> {site.origin}: {usd(site.total)}
          </li>
        ))}
      </ul>
      <table className="small" data-testid="spend-by-month">
        <caption>Spend by site and month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Site</th>
            <th scope="col">Spent</th>
          </tr>
        </thead>
        <tbody>
          {insights.months.map((row) => (
            <tr key={`${row.month} ${row.origin}`}>
              <td>{row.month}</td>
              <td>{row.origin}</td>
              <td>{usd(row.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
