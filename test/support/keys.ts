/**
 * The bootstrap admin key every test target is configured with (ADMIN_API_KEY): the Node apps
 * through createApp, the Worker through a Miniflare binding (vitest.config.mts).
 */
export const TEST_ADMIN_KEY = 'ct_test_admin_key_0123456789abcdefghijklmnop';
