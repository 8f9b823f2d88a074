import type { SiteView } from '@/lib/protocol/views'
import type { RawAmountString } from '@/lib/shared/amounts'
import { formatDollars as usd, toDollars } from '@/lib/shared/amounts'
import { Field } from './Field'
import { useDraft } from './useDraft'

type Props = {
  site: SiteView
  /** The reader's default from Settings, shown when the site has none of its own. */
  readerDefault: RawAmountString | undefined
  /** Dollars as typed; '' goes back to the default. */
  onSave: (origin: string, dollars: string) => void
  busy: boolean
}

/** One site's own sign-ahead: how far its streams pay before the words arrive (blank: the Settings default). */
export function SiteSignAhead({ site, readerDefault, onSave, busy }: Props) {
  const [dollars, setDollars] = useDraft(site.signAhead === undefined ? '' : toDollars(site.signAhead))
  const fallback = readerDefault === undefined ? 'your default' : `your default, ${usd(readerDefault)}`
  return (
    <form
      aria-label={`Sign-ahead for ${site.origin}`}
      onSubmit={(event) => {
        event.preventDefault()
        onSave(site.origin, dollars)
      }}
    >
      <Field
        name="siteSignAhead"
        label={`Pay ${site.origin}'s streams ahead by up to (USD)`}
        inputMode="decimal"
        value={dollars}
        placeholder={readerDefault === undefined ? undefined : toDollars(readerDefault)}
        onChange={(e) => setDollars(e.target.value)}
        hint={`Empty for ${fallback}. 0 pays exactly as words arrive.`}
      />
      <button type="submit" disabled={busy} aria-label={`Save sign-ahead for ${site.origin}`}>
        Save
      </button>
    </form>
  )
}
