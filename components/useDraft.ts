import { useEffect, useState } from 'react'

/**
 * A form field's draft of a stored value. It follows the stored value until
 * the reader types, and from then on keeps what the reader typed until the
 * stored value catches up with it: a poll or refetch landing while the reader
 * types (or just after Save) never puts the old value back under the click.
 */
export function useDraft(stored: string): [string, (value: string) => void] {
  const [draft, setDraft] = useState(stored)
  const [edited, setEdited] = useState(false)
  useEffect(() => {
    if (!edited) setDraft(stored)
    else if (stored === draft) setEdited(false)
  }, [stored, edited, draft])
  return [
    draft,
    (value) => {
      setEdited(true)
      setDraft(value)
    },
  ]
}
