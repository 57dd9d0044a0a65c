import { launch, openPage, startServer } from './tests/browser/browser.mjs';
const { server, url } = await startServer();
const ctx = await launch();
const { page, errors } = await openPage(ctx, `${url}#lang=zh&dataset=spiral&depth=40&width=256&b=batchNorm:1`);
await page.waitForTimeout(3000);
await page.screenshot({ path: 'test-output/tmp-zh-largest-full.png', fullPage: true });
const w = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth, document.documentElement.scrollHeight]);
console.log(w, errors);
await ctx.close(); server.close();
