import { Dialog } from '../ui/dialog';
import { Kbd } from '../ui/kbd';

/** The keys, for the shortcuts help (`?`). Keys inside the table are handled by the table itself. */
const SHORTCUTS: readonly { keys: string[]; what: string; where: string }[] = [
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

/** The keyboard shortcuts, opened with `?` or the header's "?" button (loaded when first opened). */
export default function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} size="lg" title="Keyboard shortcuts">
      <table className="w-full text-xs">
        <caption className="sr-only">Keyboard shortcuts</caption>
        <thead className="text-left text-muted">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Keys
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              What it does
            </th>
            <th scope="col" className="py-1 font-medium">
              Where
            </th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what} className="border-t border-line">
              <td className="py-1.5 pr-3 whitespace-nowrap">
                <span className="flex flex-wrap gap-1">
                  {shortcut.keys.map((key) => (
                    <Kbd key={key}>{key}</Kbd>
                  ))}
                </span>
              </td>
              <td className="py-1.5 pr-3">{shortcut.what}</td>
              <td className="py-1.5 text-muted">{shortcut.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="mt-4 mb-1 text-xs font-medium">What the search finds</h3>
      <p className="text-xs text-muted">
        The runs holding every word, in any case: in their input, reply, error or metadata, their model,
        thread id, assistant id or assistant name. A run id matches by its start only (<code>run_8KyQ</code>{' '}
        or the whole id), never by a piece from its middle or end.
      </p>
    </Dialog>
  );
}
