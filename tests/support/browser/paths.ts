import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const chromeBuild = `${repoRoot}.output/chrome-mv3`
export const firefoxBuild = `${repoRoot}.output/firefox-mv3`
