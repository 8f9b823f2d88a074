import { browser } from 'wxt/browser'
import * as Messaging from '@/lib/messaging'
import { createService } from '@/lib/service'
import * as StreamPorts from '@/lib/streamPorts'
import { Wallet } from '@/lib/wallet'

export default defineBackground(() => {
  const wallet = new Wallet()
  const service = createService({ version: browser.runtime.getManifest().version, wallet })
  Messaging.listen(service.handlers)
  StreamPorts.serve(service.paymentDeps)
  browser.alarms.onAlarm.addListener((alarm) => void wallet.onAlarm(alarm.name))
  void service.updateBadge()
})
