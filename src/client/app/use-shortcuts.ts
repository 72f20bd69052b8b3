import { useEffect } from 'react';

/** Where each shortcut sends focus; the elements carry these attributes. */
export const FOCUS_TARGETS = {
  panel: '[data-focus-target="run-panel"]',
  table: '[role="grid"][aria-label="Runs"] [tabindex="0"]',
  search: '[data-focus-target="search"]',
} as const;

/** The keys, for the shortcuts help (`?`). Keys inside the table are handled by the table itself. */
export const SHORTCUTS: readonly { keys: string[]; what: string; where: string }[] = [
  { keys: ['?'], what: 'Show these shortcuts', where: 'Anywhere' },
  { keys: ['/'], what: 'Search the runs', where: 'Anywhere' },
  { keys: ['t'], what: 'Focus the runs table (its selected row)', where: 'Anywhere' },
  { keys: ['p'], what: 'Focus the run panel (Tab then reaches every control in it)', where: 'Anywhere' },
  {
    keys: ['↑', '↓', 'j', 'k'],
    what: 'Previous / next run; with the panel open, it follows',
    where: 'Runs table',
  },
  {
    keys: ['Home', 'End', 'PgUp', 'PgDn'],
    what: 'First / last run, ten runs up / down',
    where: 'Runs table',
  },
  { keys: ['Enter'], what: 'Open the run in the panel', where: 'Runs table' },
  { keys: ['↑ on the first run'], what: 'Go to the column headers', where: 'Runs table' },
  { keys: ['←', '→'], what: 'Previous / next column header (Enter sorts)', where: 'Column headers' },
  { keys: ['Shift+←', 'Shift+→'], what: 'Narrower / wider column (remembered)', where: 'Column headers' },
  { keys: ['Esc'], what: 'Close the run panel, a menu or a dialog', where: 'Anywhere' },
  { keys: ['Ctrl+Enter'], what: 'Submit tool outputs', where: 'Tool outputs form' },
];

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
