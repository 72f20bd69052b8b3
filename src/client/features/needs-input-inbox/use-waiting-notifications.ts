import { useState } from 'react';
import { useLocalStorage } from '../../hooks/use-local-storage';

const STORAGE_KEY = 'runboard.needsInputNotifications';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * Optional desktop notifications when a run starts waiting for tool outputs: whether they are on (remembered) and
 * allowed. Permission is asked only when the person turns them on; `WaitingNotifier` (rendered while `notifying`)
 * sends them, so runs already waiting at that moment do not notify.
 */
export function useWaitingNotifications() {
  const [enabled, setEnabled] = useLocalStorage(STORAGE_KEY, false, isBoolean);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() =>
    supported() ? Notification.permission : 'unsupported',
  );

  async function turnOn() {
    setEnabled(true);
    if (supported() && Notification.permission === 'default')
      setPermission(await Notification.requestPermission());
  }

  return {
    enabled,
    permission,
    notifying: enabled && permission === 'granted',
    toggle: () => (enabled ? setEnabled(false) : void turnOn()),
  };
}
