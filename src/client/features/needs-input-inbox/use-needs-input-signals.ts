import { useEffect } from 'react';
import { faviconWithCount, titleWithCount } from './inbox-entries';

const BASE_TITLE = 'Runboard';
const DEFAULT_FAVICON = '/favicon.svg';

/** Shows how many runs wait for tool outputs in the tab's title and favicon. */
export function useNeedsInputSignals(waiting: number): void {
  useEffect(() => {
    document.title = titleWithCount(BASE_TITLE, waiting);
    let icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!icon) {
      icon = document.createElement('link');
      icon.rel = 'icon';
      document.head.append(icon);
    }
    icon.type = 'image/svg+xml';
    icon.href = waiting > 0 ? faviconWithCount(waiting) : DEFAULT_FAVICON;
  }, [waiting]);
}
