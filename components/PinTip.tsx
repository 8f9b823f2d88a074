/**
 * The last step of onboarding: keep Drip's icon in sight. Chromium and
 * Firefox put a new extension in the Extensions menu (the puzzle piece),
 * where its badge (pending requests) cannot be seen.
 */
export function PinTip({ onDismiss }: { onDismiss: () => void }) {
  const firefox = navigator.userAgent.includes('Firefox')
  return (
    <section className="card" aria-labelledby="pin-heading" data-testid="pin-tip">
      <h2 id="pin-heading">Pin Drip to your toolbar</h2>
      <p className="small">
        {firefox
          ? 'Open the Extensions menu (the puzzle piece in the toolbar), then the gear beside Drip, and choose Pin to Toolbar.'
          : 'Open the Extensions menu (the puzzle piece in the toolbar) and click the pin beside Drip.'}{' '}
        Its badge then shows when a site asks to be paid.
      </p>
      <button type="button" onClick={onDismiss}>
        Got it
      </button>
    </section>
  )
}
