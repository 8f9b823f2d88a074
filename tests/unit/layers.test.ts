/**
 * The layers of `lib/`, read from the import statements of its files: the
 * page world and the content scripts import no background code, `protocol/`
 * and `shared/` import no domain and no browser API, the domain (payments,
 * streams, chain) no browser API and no background wiring, and no file imports
 * itself back through others (type imports count: a cycle of types is still
 * two files that cannot be read apart).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, test } from 'vitest'

const root = join(dirname(new URL(import.meta.url).pathname), '../..')
const lib = join(root, 'lib')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

const importPattern = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm

/** Every file of lib/ (as `lib/…` paths) with what it imports: other lib files, and packages by name. */
function importGraph(): Map<string, { files: string[]; packages: string[] }> {
  const graph = new Map<string, { files: string[]; packages: string[] }>()
  for (const path of sources(lib)) {
    const files: string[] = []
    const packages: string[] = []
    for (const [, spec] of readFileSync(path, 'utf8').matchAll(importPattern)) {
      const target = spec!.startsWith('@/') ? join(root, spec!.slice(2)) : spec!.startsWith('.') ? normalize(join(dirname(path), spec!)) : undefined
      if (!target) {
        packages.push(spec!)
        continue
      }
      const file = ['.ts', '.tsx', '/index.ts'].map((ext) => target + ext).find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile())
      if (file) files.push(relative(root, file))
    }
    graph.set(relative(root, path), { files, packages })
  }
  return graph
}

const graph = importGraph()
const layerOf = (file: string) => file.split('/')[1]!

/** Imports from `from` that leave the layers it may use. */
function outside(from: string[], allowed: string[]) {
  return [...graph].flatMap(([file, { files }]) => (from.includes(layerOf(file)) ? files.filter((target) => !allowed.includes(layerOf(target))).map((target) => `${file} → ${target}`) : []))
}

/** Strongly connected groups of more than one file (Tarjan). */
function cycles(): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const found: string[][] = []
  let next = 0
  const visit = (file: string) => {
    index.set(file, next)
    low.set(file, next++)
    stack.push(file)
    for (const target of graph.get(file)?.files ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(file, Math.min(low.get(file)!, low.get(target)!))
      } else if (stack.includes(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!))
    }
    if (low.get(file) !== index.get(file)) return
    const group: string[] = []
    for (let member = stack.pop(); member !== undefined; member = member === file ? undefined : stack.pop()) group.push(member)
    if (group.length > 1) found.push(group.sort())
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return found
}

describe('the layers of lib/', () => {
  test('the page world imports only itself, protocol/ and shared/', () => {
    expect(graph.size).toBeGreaterThan(50)
    expect(outside(['page'], ['page', 'protocol', 'shared'])).toEqual([])
  })

  test('content scripts import only themselves, protocol/ and shared/ (not the page world’s code, not the background’s)', () => {
    expect(outside(['content'], ['content', 'protocol', 'shared'])).toEqual([])
  })

  test('protocol/ and shared/ import no domain, and nothing in them or the page world imports a browser API', () => {
    expect(outside(['protocol', 'shared'], ['protocol', 'shared'])).toEqual([])
    const browserApi = [...graph].filter(([file, { packages }]) => ['protocol', 'shared', 'page'].includes(layerOf(file)) && packages.some((name) => name.startsWith('wxt/browser')))
    expect(browserApi.map(([file]) => file)).toEqual([])
  })

  test('the domain (payments/, streams/, chain/) uses no browser API and no background wiring: only background/ serves ports, storage/ and wallet/ hold the browser storage', () => {
    const domain = ['payments', 'streams', 'chain']
    const browserApi = [...graph].filter(([file, { packages }]) => domain.includes(layerOf(file)) && packages.some((name) => name.startsWith('wxt/browser') || name.startsWith('wxt/utils')))
    expect(browserApi.map(([file]) => file)).toEqual([])
    expect(outside(domain, ['payments', 'streams', 'chain', 'storage', 'wallet', 'protocol', 'shared'])).toEqual([])
  })

  test('no cycles', () => {
    expect(cycles()).toEqual([])
  })

  test('the rules can fail: a cycle and a layer crossing are found when they exist', () => {
    graph.set('lib/shared/fake.ts', { files: ['lib/payments/payer.ts'], packages: ['wxt/browser'] })
    graph.set('lib/payments/payer.ts', { ...graph.get('lib/payments/payer.ts')!, files: [...graph.get('lib/payments/payer.ts')!.files, 'lib/shared/fake.ts'] })
    try {
      expect(outside(['shared'], ['protocol', 'shared'])).toContain('lib/shared/fake.ts → lib/payments/payer.ts')
      expect(cycles().flat()).toContain('lib/shared/fake.ts')
    } finally {
      graph.delete('lib/shared/fake.ts')
      graph.set('lib/payments/payer.ts', { ...graph.get('lib/payments/payer.ts')!, files: graph.get('lib/payments/payer.ts')!.files.filter((file) => file !== 'lib/shared/fake.ts') })
    }
  })
})
