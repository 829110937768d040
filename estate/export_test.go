package estate

// LoadFast exposes the fast path of Load, without its fallback, to the
// external tests.
var LoadFast = loadFast
