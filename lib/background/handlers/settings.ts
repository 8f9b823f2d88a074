/** `settings.*`: auto-lock, the default cap and per-payment limit for new approvals, the deposit step, signing ahead. */
import * as Preferences from '@/lib/payments/preferences'
import type { PopupHandlers } from '@/lib/protocol/messages'
import type { SettingsView } from '@/lib/protocol/views'
import { rawAmountOf } from '@/lib/shared/amounts'
import type { Background } from '../background'

export function settingsHandlers(background: Background): Pick<PopupHandlers, 'settings.get' | 'settings.set'> {
  const { wallet } = background
  async function settingsView(): Promise<SettingsView> {
    return {
      autoLockMinutes: await wallet.autoLockMinutes(),
      defaultCap: (await Preferences.defaultCap()).toString(),
      defaultPerPaymentLimit: (await Preferences.defaultPerPaymentLimit()).toString(),
      depositUnits: await Preferences.depositUnits(),
      signAhead: (await Preferences.signAhead()).toString(),
    }
  }
  return {
    'settings.get': settingsView,
    'settings.set': background.userAction(async ({ autoLockMinutes, defaultCap, defaultPerPaymentLimit, depositUnits, signAhead }) => {
      if (depositUnits !== undefined) await Preferences.setDepositUnits(depositUnits)
      if (autoLockMinutes !== undefined) await wallet.setAutoLockMinutes(autoLockMinutes)
      if (signAhead !== undefined) await Preferences.setSignAhead(rawAmountOf(signAhead))
      if (defaultCap !== undefined) await Preferences.setDefaultCap(rawAmountOf(defaultCap))
      if (defaultPerPaymentLimit !== undefined) await Preferences.setDefaultPerPaymentLimit(rawAmountOf(defaultPerPaymentLimit))
      return settingsView()
    }),
  }
}
