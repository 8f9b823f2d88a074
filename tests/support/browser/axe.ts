/** axe-core (from npm) run inside a page: the serious and critical violations, as short lines to print and assert on. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export type AxeFinding = { id: string; impact: string; help: string; targets: string[] }

export async function axeViolations(page: Page): Promise<{ serious: AxeFinding[]; all: AxeFinding[] }> {
  // Evaluated, not added as a <script>: the popup's CSP (script-src 'self') refuses inline scripts, as it should.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource)
  const result = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
  }
  const all = result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  return { all, serious: all.filter((v) => v.impact === 'serious' || v.impact === 'critical') }
}
