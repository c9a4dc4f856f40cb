// action/pr-comment.cjs against a fake GitHub API: run by `node --test` (from
// tests/test_workflows.py). The fake keeps the pull request's comments in memory and answers
// like Octokit: paginate() over listComments, createComment, updateComment, errors with .status.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { MARKER, postComment } = require(path.join(__dirname, "..", "action", "pr-comment.cjs"));

function fakeGitHub({ comments = [], readOnly = false, pageSize = 2 } = {}) {
  let next = 1000;
  const calls = [];
  const refuse = () => {
    const error = new Error("Resource not accessible by integration");
    error.status = 403;
    throw error;
  };
  const rest = {
    issues: {
      listComments: async ({ issue_number, page = 1 }) => {
        calls.push(["list", issue_number, page]);
        const mine = comments.filter((c) => c.issue === issue_number);
        return { data: mine.slice((page - 1) * pageSize, page * pageSize) };
      },
      createComment: async ({ issue_number, body }) => {
        calls.push(["create", issue_number]);
        if (readOnly) refuse();
        comments.push({ id: next++, issue: issue_number, body, user: { type: "Bot" } });
      },
      updateComment: async ({ comment_id, body }) => {
        calls.push(["update", comment_id]);
        if (readOnly) refuse();
        comments.find((c) => c.id === comment_id).body = body;
      },
    },
  };
  const paginate = async (method, params) => {
    const all = [];
    for (let page = 1; ; page++) {
      const { data } = await method({ ...params, page });
      all.push(...data);
      if (data.length < pageSize) return all;
    }
  };
  return { github: { rest, paginate }, comments, calls };
}

const context = { repo: { owner: "acme", repo: "register" }, payload: { pull_request: { number: 7 } }, issue: { number: 7 } };
const logs = [];
const core = { info: (m) => logs.push(["info", m]), warning: (m) => logs.push(["warning", m]) };
const body = (text) => `${MARKER}\n### Ændringer i fortegnelsen\n\n${text}\n`;

test("the first push creates one comment, later pushes update it in place", async () => {
  const api = fakeGitHub({
    comments: [
      { id: 1, issue: 7, body: "LGTM", user: { type: "User" } },
      { id: 2, issue: 7, body: `> ${MARKER} quoted by a person`, user: { type: "User" } },
      { id: 3, issue: 8, body: body("another pull request"), user: { type: "Bot" } },
    ],
  });
  assert.equal(await postComment({ ...api, context, core, body: body("one") }), "created");
  assert.equal(await postComment({ ...api, context, core, body: body("two") }), "updated");
  assert.equal(await postComment({ ...api, context, core, body: body("two") }), "unchanged");
  const ours = api.comments.filter((c) => c.issue === 7 && c.body.startsWith(MARKER));
  assert.equal(ours.length, 1);
  assert.equal(ours[0].body, body("two"));
  assert.equal(api.comments.find((c) => c.id === 3).body, body("another pull request"));
  assert.equal(api.comments.find((c) => c.id === 2).body, `> ${MARKER} quoted by a person`);
});

test("the comment is found on a later page of comments", async () => {
  const people = Array.from({ length: 5 }, (_, i) => ({ id: 10 + i, issue: 7, body: `c${i}`, user: { type: "User" } }));
  const api = fakeGitHub({ comments: [...people, { id: 99, issue: 7, body: body("old"), user: { type: "Bot" } }] });
  assert.equal(await postComment({ ...api, context, core, body: body("new") }), "updated");
  assert.deepEqual(api.calls.filter((c) => c[0] !== "list"), [["update", 99]]);
});

test("no change and no comment yet: nothing is posted; an existing comment is still updated", async () => {
  const empty = fakeGitHub();
  assert.equal(await postComment({ ...empty, context, core, body: body("none"), changed: false }), "skipped");
  assert.equal(empty.comments.length, 0);
  const api = fakeGitHub({ comments: [{ id: 5, issue: 7, body: body("was"), user: { type: "Bot" } }] });
  assert.equal(await postComment({ ...api, context, core, body: body("none"), changed: false }), "updated");
});

test("a read-only token (a fork) falls back to the job summary without failing", async () => {
  logs.length = 0;
  const api = fakeGitHub({ readOnly: true });
  assert.equal(await postComment({ ...api, context, core, body: body("x") }), "summary-only");
  assert.equal(api.comments.length, 0);
  assert.match(logs.find((l) => l[0] === "warning")[1], /job summary/);
});

test("another error is not hidden", async () => {
  const api = fakeGitHub();
  api.github.rest.issues.createComment = async () => {
    const error = new Error("server error");
    error.status = 500;
    throw error;
  };
  await assert.rejects(postComment({ ...api, context, core, body: body("x") }), /server error/);
});

test("a body without the marker is refused (it could never be found again)", async () => {
  const api = fakeGitHub();
  await assert.rejects(postComment({ ...api, context, core, body: "### no marker" }), /must start with/);
  assert.equal(api.calls.length, 0);
});
