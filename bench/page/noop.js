// Imported before the timed cold start: a page's first module import pays the loader's own
// start-up, which an app has paid for its own code before it imports an auth library.
export const noop = true;
