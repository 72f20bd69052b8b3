import { useSyncExternalStore } from 'react';
import { accessToken } from '../api/access-token';
import type { AccessTokenState } from '../api/access-token';

export function useAccessToken(): AccessTokenState {
  return useSyncExternalStore(accessToken.subscribe, accessToken.snapshot, accessToken.snapshot);
}
