use super::*;

fn reply(id: &str, at: i64) -> Reply {
    Reply {
        message_id: id.into(),
        received_at: at,
        folder: "INBOX".into(),
        kind: "automatic".into(),
        from: "info@example.com".into(),
        subject: "Re: test".into(),
        mailbox: "persona".into(),
        eta: None,
        alternatives: false,
        junk: false,
    }
}

#[test]
fn a_probe_is_planned_once_and_its_token_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("nested/journal.db")).unwrap();
    let run = journal.begin_run("https://shop.example.com/").unwrap();
    let first = journal
        .plan(run, Channel::Form, "https://shop.example.com/callback")
        .unwrap();
    let again = journal
        .plan(run, Channel::Form, "https://shop.example.com/callback")
        .unwrap();
    assert_eq!(first, again);
    assert!(first.token.starts_with("db-") && first.token.len() == 15);
    let other = journal
        .plan(run, Channel::Email, "info@example.com")
        .unwrap();
    assert_ne!(other.token, first.token);
}

#[test]
fn a_run_stopped_mid_send_never_sends_that_probe_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let (run, sent, caught, waiting) = {
        let journal = Journal::open(&path).unwrap();
        let run = journal.begin_run("site").unwrap();
        let sent = journal.plan(run, Channel::Email, "a@example.com").unwrap();
        let caught = journal.plan(run, Channel::Email, "b@example.com").unwrap();
        let waiting = journal
            .plan(run, Channel::Form, "https://example.com/f")
            .unwrap();
        assert!(journal.claim_for_sending(sent.id).unwrap());
        journal
            .mark_sent(sent.id, 1_000, Some("<m1@doorbell>"), None)
            .unwrap();
        assert!(journal.claim_for_sending(caught.id).unwrap());
        // The process dies here: `caught` may or may not have left.
        (run, sent.id, caught.id, waiting.id)
    };
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.unfinished_run("site").unwrap(), Some(run));
    let to_send = journal.resume(run).unwrap();
    assert_eq!(to_send.iter().map(|p| p.id).collect::<Vec<_>>(), [waiting]);
    let states: Vec<(i64, ProbeState)> = journal
        .probes(run)
        .unwrap()
        .iter()
        .map(|p| (p.id, p.state))
        .collect();
    assert_eq!(
        states,
        [
            (sent, ProbeState::Sent),
            (caught, ProbeState::InDoubt),
            (waiting, ProbeState::Planned)
        ]
    );
    // A sent probe cannot be claimed again.
    assert!(!journal.claim_for_sending(sent).unwrap());
    let probe = &journal.probes(run).unwrap()[0];
    assert_eq!(
        (probe.sent_at, probe.message_id.as_deref()),
        (Some(1_000), Some("<m1@doorbell>"))
    );
}

#[test]
fn replies_are_recorded_once_and_runs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    let first_run = journal.begin_run("site").unwrap();
    let probe = journal
        .plan(first_run, Channel::Email, "a@example.com")
        .unwrap();
    assert!(
        journal
            .record_reply(probe.id, &reply("<r2@x>", 20))
            .unwrap()
    );
    assert!(
        journal
            .record_reply(probe.id, &reply("<r1@x>", 10))
            .unwrap()
    );
    assert!(
        !journal
            .record_reply(probe.id, &reply("<r1@x>", 10))
            .unwrap()
    );
    let replies = journal.replies(probe.id).unwrap();
    assert_eq!(
        replies.iter().map(|r| r.received_at).collect::<Vec<_>>(),
        [10, 20]
    );
    journal.finish_run(first_run).unwrap();
    let second_run = journal.begin_run("site").unwrap();
    assert_eq!(journal.unfinished_run("site").unwrap(), Some(second_run));
    assert_eq!(journal.runs("site").unwrap().len(), 2);
}

#[test]
fn a_journal_from_a_newer_doorbell_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Journal::open(&path).err().expect("refused");
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn a_version_1_journal_is_upgraded_keeping_its_probes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE runs (id INTEGER PRIMARY KEY, site TEXT NOT NULL,
                started_at INTEGER NOT NULL, finished_at INTEGER);
             CREATE TABLE probes (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
                channel TEXT NOT NULL, target TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL, planned_at INTEGER NOT NULL, sent_at INTEGER,
                message_id TEXT, detail TEXT, UNIQUE (run_id, channel, target));
             CREATE TABLE replies (id INTEGER PRIMARY KEY, probe_id INTEGER NOT NULL,
                message_id TEXT NOT NULL, received_at INTEGER NOT NULL, folder TEXT NOT NULL,
                kind TEXT NOT NULL, sender TEXT NOT NULL, subject TEXT NOT NULL,
                UNIQUE (probe_id, message_id));
             INSERT INTO runs VALUES (1, 'site', 5, NULL);
             INSERT INTO probes VALUES (1, 1, 'email', 'a@example.com', 'db-aaaaaaaaaaaa',
                'sent', 5, 6, '<m@x>', NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let journal = Journal::open(&path).unwrap();
    let probes = journal.probes(1).unwrap();
    assert_eq!(probes[0].token, "db-aaaaaaaaaaaa");
    assert_eq!(probes[0].outcome, None);
    assert!(journal.record_reply(1, &reply("<r@x>", 7)).unwrap());
    assert_eq!(journal.replies(1).unwrap()[0].mailbox, "persona");
    assert_eq!(journal.latest_probed_run("site").unwrap(), Some(1));
    drop(journal);
    // Opening again must not try to add the columns twice.
    Journal::open(&path).unwrap();
}

#[test]
fn verdicts_are_appended_per_probe() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.db")).unwrap();
    let run = journal.begin_run("site").unwrap();
    let probe = journal.plan(run, Channel::Email, "a@example.com").unwrap();
    journal.record_verdict(probe.id, "waiting", &[]).unwrap();
    journal
        .record_verdict(
            probe.id,
            "no-reply",
            &[
                "reply.none".to_string(),
                "reply.autoreply-missing".to_string(),
            ],
        )
        .unwrap();
    let verdicts = journal.verdicts(probe.id).unwrap();
    assert_eq!(verdicts.len(), 2);
    assert_eq!(verdicts[1].status, "no-reply");
    assert_eq!(verdicts[1].rules, ["reply.none", "reply.autoreply-missing"]);
}
