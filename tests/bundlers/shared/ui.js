// The page of every simple bundler case (tests/bundlers/README.md): a sign-in button that
// signs in with a popup against the embedded provider, then shows the user's name from
// userinfo. The button stays disabled until the client exists. Errors are shown on the page
// and logged with console.error (the runner fails a case on those).
export function start(client) {
  const $ = (name) => document.querySelector(`[data-test=${name}]`);
  const show = (name, text) => {
    let el = $(name);
    if (!el) {
      el = document.createElement('p');
      el.dataset.test = name;
      document.body.append(el);
    }
    el.textContent = text;
  };
  const button = $('sign-in');
  button.addEventListener('click', async () => {
    try {
      await client.signInWithPopup(); // opens the popup synchronously, inside the click
      const user = await client.getUser();
      show('user', user.name);
    } catch (e) {
      show('error', `${e?.name}: ${e?.message}`);
      console.error(e);
    }
  });
  button.disabled = false;
}
