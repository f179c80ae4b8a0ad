// Talks to busflow's SockJS event-bus bridge with the official client (@vertx/eventbus-bridge-client.js) and
// prints one JSON line with what happened. Used by io.busflow.http.SockJsBridgeTest.
//   node bridge-client.js roundtrip URL [KEY]  request test.echo, subscribe to test.news, trigger a publish
//   node bridge-client.js denied URL [KEY]     send to a non-allowed address, subscribe to an internal one
//   node bridge-client.js nokey URL            request test.echo without an API key
//   node bridge-client.js job URL [KEY]        subscribe to job JOB_ID's progress, start it with POST JOBS_URL
//                                              {"pipeline": PIPELINE, "job": JOB_ID}, wait for its final report
'use strict';
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [mode, url, key] = process.argv.slice(2);
const result = { mode };
const eb = new EventBus(url);
if (key) {
  eb.defaultHeaders = { Authorization: 'Bearer ' + key };
}
eb.onerror = (err) => {
  (result.unhandledErrors = result.unhandledErrors || []).push(err.body || err.message || String(err));
};

const deadline = setTimeout(() => finish('timed out'), 15000);

function finish(problem) {
  if (problem) {
    result.problem = problem;
  }
  clearTimeout(deadline);
  console.log(JSON.stringify(result));
  try {
    eb.close();
  } catch (e) {
    // already closed
  }
  process.exit(0);
}

function failure(err) {
  return { failureCode: err.failureCode, failureType: err.failureType, message: err.message };
}

function roundtrip() {
  let trigger = null;
  eb.registerHandler('test.news', (err, msg) => {
    if (err) {
      result.newsError = failure(err);
      return finish();
    }
    result.published = msg.body;
    clearInterval(trigger);
    if (result.reply) {
      finish();
    }
  });
  eb.send('test.echo', { hello: 'node' }, (err, reply) => {
    if (err) {
      result.replyError = failure(err);
      return finish();
    }
    result.reply = reply.body;
    // the handler registration travels before this request on the same socket; retry anyway until it lands
    const publish = () => eb.send('test.publisher', { n: 1 }, () => {});
    publish();
    trigger = setInterval(publish, 200);
    if (result.published) {
      finish();
    }
  });
}

function denied() {
  eb.registerHandler('busflow.deadletters', (err, msg) => {
    if (err) {
      result.registerError = failure(err);
    } else {
      result.leaked = msg.body;
    }
    if (result.sendError) {
      finish();
    }
  });
  eb.send('test.secret', { x: 1 }, (err, reply) => {
    result.sendError = err ? failure(err) : null;
    result.secretReply = reply ? reply.body : null;
    if (result.registerError || result.leaked) {
      finish();
    }
  });
}

function nokey() {
  eb.send('test.echo', { hello: 'node' }, (err, reply) => {
    result.sendError = err ? failure(err) : null;
    result.reply = reply ? reply.body : null;
    finish();
  });
}

function job() {
  const id = process.env.JOB_ID;
  const progress = [];
  eb.registerHandler('busflow.jobs.' + id + '.progress', (err, msg) => {
    if (err) {
      result.registerError = failure(err);
      return finish();
    }
    if (!msg.body.final) {
      progress.push(msg.body);
      return;
    }
    result.progress = progress;
    result.report = msg.body;
    finish();
  });
  // frames on one socket are handled in order: once test.echo answers, the subscription is in place
  eb.send('test.echo', { ready: true }, (err) => {
    if (err) {
      result.echoError = failure(err);
      return finish();
    }
    const headers = { 'Content-Type': 'application/json' };
    if (key) {
      headers.Authorization = 'Bearer ' + key;
    }
    fetch(process.env.JOBS_URL, { method: 'POST', headers, body: JSON.stringify({ pipeline: process.env.PIPELINE, job: id }) })
      .then((r) => { result.startStatus = r.status; })
      .catch((e) => finish('POST ' + process.env.JOBS_URL + ' failed: ' + e.message));
  });
}

eb.onopen = () => ({ roundtrip, denied, nokey, job })[mode]();
