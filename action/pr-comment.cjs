// One comment on the pull request with `ropa diff --format markdown`, updated in place.
//
// Called from action.yml through actions/github-script, which hands over its Octokit client
// (`github`), the event (`context`) and its logger (`core`). The comment is found by the hidden
// marker the diff's Markdown starts with, among comments written by a bot (the workflow's
// token is github-actions[bot]), so a person quoting the marker is never overwritten and a
// second push never adds a second comment.
//
// A read-only token (a pull request from a fork, Dependabot) cannot comment: GitHub answers
// 403 (or 404). That is no failure: the job summary already holds the long form, so the
// reviewer is told where to look and the step succeeds.
//
// tests/pr_comment.test.cjs runs this against a fake API, offline.
"use strict";

const MARKER = "<!-- ropa-diff -->";

/**
 * @returns {Promise<"created"|"updated"|"unchanged"|"skipped"|"summary-only">}
 */
async function postComment({ github, context, core, body, changed = true, marker = MARKER }) {
  if (!body.startsWith(marker)) {
    throw new Error(`the comment must start with ${marker} (ropa diff --format markdown does)`);
  }
  const issue_number = context.payload.pull_request
    ? context.payload.pull_request.number
    : context.issue.number;
  const { owner, repo } = context.repo;
  try {
    const comments = await github.paginate(github.rest.issues.listComments, {
      owner,
      repo,
      issue_number,
      per_page: 100,
    });
    const ours = comments.find(
      (c) => c.user && c.user.type === "Bot" && (c.body || "").startsWith(marker),
    );
    if (ours) {
      if (ours.body === body) return "unchanged";
      await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      core.info(`updated the register's change comment ${ours.html_url || ours.id}`);
      return "updated";
    }
    if (!changed) return "skipped"; // no change and nothing said yet: no comment to make
    await github.rest.issues.createComment({ owner, repo, issue_number, body });
    core.info("commented the register's changes on the pull request");
    return "created";
  } catch (error) {
    if (error && (error.status === 403 || error.status === 404)) {
      core.warning(
        "ropa diff: this token may not comment on the pull request (a pull request from a " +
          "fork gets a read-only token); the change is in the job summary instead. To comment, " +
          "give the job `permissions: pull-requests: write`.",
      );
      return "summary-only";
    }
    throw error;
  }
}

module.exports = { MARKER, postComment };
