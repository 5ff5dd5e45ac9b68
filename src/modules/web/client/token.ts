const STORAGE_KEY = "tickflow.api-token";

/**
 * The API token of this tab: asked once in a dialog when the server needs one, kept in sessionStorage
 * (gone with the tab), asked again only after the server rejected it. Concurrent requests share one prompt.
 */
export class TokenStore {
  #prompt: Promise<string> | undefined;
  #rejected = false;

  constructor(
    private required: boolean,
    private readonly dialog: HTMLDialogElement,
  ) {
    dialog.addEventListener("cancel", (event) => event.preventDefault());
  }

  /** The token to send, asking for it first when needed; undefined when the server needs none. */
  async token(): Promise<string | undefined> {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) return saved;
    if (!this.required) return undefined;
    this.#prompt ??= this.#ask().finally(() => {
      this.#prompt = undefined;
    });
    return this.#prompt;
  }

  /** The server answered 401 to `token`: forget it (unless another one replaced it meanwhile). */
  rejected(token: string | undefined): void {
    this.required = true;
    if (token !== undefined && sessionStorage.getItem(STORAGE_KEY) === token) {
      sessionStorage.removeItem(STORAGE_KEY);
      this.#rejected = true;
    }
  }

  #ask(): Promise<string> {
    const input = this.dialog.querySelector("input")!;
    this.dialog.querySelector<HTMLElement>(".error")!.hidden = !this.#rejected;
    input.value = "";
    this.dialog.showModal();
    return new Promise((resolve) => {
      const submitted = () => {
        const token = input.value.trim();
        if (!token) {
          this.dialog.showModal();
          return;
        }
        this.dialog.removeEventListener("close", submitted);
        sessionStorage.setItem(STORAGE_KEY, token);
        this.#rejected = false;
        resolve(token);
      };
      this.dialog.addEventListener("close", submitted);
    });
  }
}
