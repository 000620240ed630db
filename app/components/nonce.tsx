import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the current request, given by entry.server.tsx. Browsers hide a
 * nonce from scripts after load, so on the client it is undefined (and not needed any more).
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
