/** The login QR as a link anyone can open in a browser (Wechaty's public QR renderer). */
export function qrLink(qrcode: string): string {
  return `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
}

/**
 * Draws the QR in the terminal with the `qrcode` package when it is installed (it comes with
 * wechaty's file-box dependency); otherwise writes the link only. Never throws.
 */
export async function printLoginQr(qrcode: string, out: NodeJS.WritableStream): Promise<void> {
  const link = qrLink(qrcode);
  let art = "";
  try {
    const moduleName = "qrcode";
    const mod = (await import(moduleName)) as { toString?: unknown; default?: Record<string, unknown> };
    const render = [
      mod.toString,
      mod.default && Object.hasOwn(mod.default, "toString") ? mod.default.toString : undefined,
    ].find((f) => typeof f === "function") as
      | ((text: string, opts: Record<string, unknown>) => Promise<string>)
      | undefined;
    if (render) art = await render(qrcode, { type: "terminal", small: true });
  } catch {
    art = "";
  }
  out.write(`\n请用机器人手机微信扫码登录 / scan to log in:\n${art}${art ? "\n" : ""}${link}\n\n`);
}
