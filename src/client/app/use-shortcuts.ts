import { useEffect } from 'react';

/** Where each shortcut sends focus; the elements carry these attributes. */
export const FOCUS_TARGETS = {
  panel: '[data-focus-target="run-panel"]',
  table: '[role="grid"][aria-label="Runs"] [tabindex="0"]',
  search: '[data-focus-target="search"]',
} as const;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    Boolean(target.closest('input, textarea, select, [contenteditable="true"]'))
  );
}

/** `?`, `/`, `t`, `p`: page-wide keys, ignored while typing or while a dialog is open. */
export function useShortcuts({ onHelp }: { onHelp: () => void }): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const focus = (selector: string) => {
        const element = document.querySelector<HTMLElement>(selector);
        if (!element) return;
        event.preventDefault();
        element.focus();
      };
      switch (event.key) {
        case '?':
          event.preventDefault();
          onHelp();
          break;
        case '/':
          focus(FOCUS_TARGETS.search);
          break;
        case 't':
          focus(FOCUS_TARGETS.table);
          break;
        case 'p':
          focus(FOCUS_TARGETS.panel);
          break;
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onHelp]);
}
