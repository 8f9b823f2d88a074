import { existsSync } from 'node:fs'
import { chromeBuild, firefoxBuild } from '../support/browser/paths'

/** The e2e suite tests the built extension; refuse to run against a missing build rather than skip. */
export default function assertBuilt() {
  for (const dir of [chromeBuild, firefoxBuild])
    if (!existsSync(`${dir}/manifest.json`))
      throw new Error(`No extension build at ${dir}. Run "npm run build:all" (npm run test:e2e does it for you).`)
}
