import { createContext, useContext } from 'react';

/** Assistant id → name, provided once by the runs view so each row's cell does not subscribe to a query. */
export const AssistantNamesContext = createContext<ReadonlyMap<string, string>>(new Map());

export function useAssistantName(assistantId: string): string {
  return useContext(AssistantNamesContext).get(assistantId) ?? assistantId;
}
