import { useEffect, useRef, useState } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useLocalStorage } from '../../hooks/use-local-storage';
import { newlyWaiting } from './inbox-entries';

const STORAGE_KEY = 'runboard.needsInputNotifications';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * Optional desktop notifications when a run starts waiting for tool outputs. Permission is asked only when the person
 * turns them on; runs already waiting at that moment do not notify.
 */
export function useWaitingNotifications(waiting: readonly Run[]) {
  const [enabled, setEnabled] = useLocalStorage(STORAGE_KEY, false, isBoolean);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() =>
    supported() ? Notification.permission : 'unsupported',
  );
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(waiting.map((run) => run.id));
    if (!previous || !enabled || permission !== 'granted') return;
    for (const run of newlyWaiting(previous, waiting)) {
      const tools =
        run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.function.name) ?? [];
      new Notification('A run needs tool outputs', {
        body: `${run.id} on ${run.thread_id}${tools.length ? ` asks for ${tools.join(', ')}` : ''}`,
        tag: run.id,
      });
    }
  }, [waiting, enabled, permission]);

  async function turnOn() {
    setEnabled(true);
    if (supported() && Notification.permission === 'default')
      setPermission(await Notification.requestPermission());
  }

  return {
    enabled,
    permission,
    toggle: () => (enabled ? setEnabled(false) : void turnOn()),
  };
}
