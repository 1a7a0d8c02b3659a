/**
 * The request that server actions under test see through next/headers (mocked for every test
 * file in test/setup.ts): a test plays the browser by setting the cookie it sends.
 */
export const requestHeaders = { current: new Headers() };

export function actAs(cookie: string): void {
  requestHeaders.current = new Headers(cookie ? { cookie } : {});
}
