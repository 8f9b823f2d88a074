import { useState } from 'react'
import { ActivityList } from '@/components/ActivityList'
import { ErrorText } from '@/components/Field'
import { SpendChart } from '@/components/SpendChart'
import { send, useRead } from '../api'

/** What was paid, one line per payment, with the spend chart and the CSV export. */
export function Activity() {
  const ledger = useRead('ledger.list')
  const insights = useRead('insights.get')
  const [exportError, setExportError] = useState<Error | null>(null)
  return (
    <>
      <ErrorText error={ledger.error ?? insights.error} />
      {insights.data && <SpendChart insights={insights.data} />}
      <ActivityList
        entries={ledger.data ?? []}
        onExport={async () => {
          setExportError(null)
          try {
            downloadCsv((await send('ledger.csv')).csv, `drip-history-${new Date().toISOString().slice(0, 10)}.csv`)
          } catch (error) {
            setExportError(error as Error)
          }
        }}
      />
      <ErrorText error={exportError} />
    </>
  )
}

/** Saves text as a file through the browser's own download (no extra permission). */
function downloadCsv(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const link = Object.assign(document.createElement('a'), { href: url, download: name })
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
