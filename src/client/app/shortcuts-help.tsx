import { Dialog } from '../ui/dialog';
import { Kbd } from '../ui/kbd';
import { SHORTCUTS } from './use-shortcuts';

/** The keyboard shortcuts, opened with `?` or the header's "?" button. */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
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
    </Dialog>
  );
}
