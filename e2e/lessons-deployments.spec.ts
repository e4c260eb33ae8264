import { expect, test, type Page } from '@playwright/test';
import { openLab, shoot } from './fixtures.ts';
import { clickRuns, expectStep, expectStepPassed, openList, startLesson } from './lessonPlayer.ts';

/**
 * Issue 10's e2e: a student completes the `deployments` lesson by clicking its Run buttons, and the
 * rolling update is seen on the cluster map: with the clock paused after `kubectl set image`, the map
 * holds the four old Pods and the one new surge Pod (two pod-template hashes, five chips); at the end it
 * holds four Pods of the new ReplicaSet only.
 */

const STEPS = 6;

/** The `web-<hash>-<suffix>` Pods on the cluster map, by pod-template hash. */
async function webPodsByHash(page: Page): Promise<Record<string, number>> {
  const names = await page.locator('[data-testid="pod-chip"][data-pod^="default/web-"]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-pod')!));
  const byHash: Record<string, number> = {};
  for (const name of names) {
    const m = /^default\/web-([a-z0-9]+)-[a-z0-9]+$/.exec(name);
    if (m) byHash[m[1]!] = (byHash[m[1]!] ?? 0) + 1;
  }
  return byHash;
}

test('a student completes the deployments lesson by clicking, and watches the rolling update on the cluster map', async ({ page }) => {
  test.setTimeout(600_000);
  await openLab(page);
  await openList(page);
  await startLesson(page, 'deployments');
  for (let step = 1; step <= STEPS; step++) {
    await expectStep(page, step, STEPS);
    if (step === 3) {
      const before = await webPodsByHash(page);
      expect(Object.values(before)).toEqual([4]);
      // Pause and change the image: the new ReplicaSet's surge Pod joins the four old ones, and the paused clock keeps it so.
      await clickRuns(page, [0]);
      await expect(page.getByTestId('tab-cluster-map')).toHaveAttribute('aria-selected', 'true');
      await expect.poll(async () => Object.values(await webPodsByHash(page)).sort(), { timeout: 30_000 }).toEqual([1, 4]);
      const during = await webPodsByHash(page);
      expect(during).toMatchObject(before);
      const newHash = Object.keys(during).find((h) => !(h in before))!;
      await shoot(page, 'lesson-deployments-rolling');
      // Advance two seconds at a time, then let the clock play: the old Pods go, four new ones stay.
      await clickRuns(page, [1]);
      await clickRuns(page, [1]);
      await clickRuns(page, [2]);
      await expect.poll(() => webPodsByHash(page), { timeout: 120_000 }).toEqual({ [newHash]: 4 });
    } else {
      await clickRuns(page);
    }
    await expectStepPassed(page, { timeout: 180_000, last: step === STEPS });
    if (step < STEPS) await page.getByTestId('step-next').click();
  }
  await expect(page.getByTestId('step-status')).toContainText('You finished the lesson!');
  await shoot(page, 'lesson-deployments-done');
});
