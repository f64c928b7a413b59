//! The satisfaction survey: the first answer counts, a comment needs a rating, the summary against the target.

use super::*;

on_both_backends!(
    the_first_survey_answer_counts_and_later_ones_change_nothing,
    a_comment_needs_a_rating_and_the_first_one_is_kept,
    the_survey_summary_counts_satisfied_answers_against_the_target,
);

async fn the_first_survey_answer_counts_and_later_ones_change_nothing(db: &TestDb) {
    let store = &db.store;
    let recorded = record(store, &batch([1, 2]), june(10)).await;
    let id = recorded[0].id;
    assert_eq!(store.survey_rating(id).await.expect("read"), None);
    assert_eq!(
        store
            .record_rating(id, 4, RatingSource::Web, june(12))
            .await
            .expect("first answer"),
        RatingOutcome::Recorded
    );
    // The same link clicked again, another star, and a mail answer: the first answer stays.
    for (stars, source) in [
        (4, RatingSource::Web),
        (1, RatingSource::Web),
        (5, RatingSource::Email),
    ] {
        assert_eq!(
            store
                .record_rating(id, stars, source, june(13))
                .await
                .expect("later answer"),
            RatingOutcome::AlreadyRated { rating: 4 }
        );
    }
    let kept = store.survey_rating(id).await.expect("read").expect("rated");
    assert_eq!(
        (kept.rating, kept.source, kept.rated_at),
        (4, RatingSource::Web, june(12))
    );
    // The other consultation is untouched, and can be rated by mail.
    assert_eq!(
        store
            .record_rating(recorded[1].id, 2, RatingSource::Email, june(14))
            .await
            .expect("mail answer"),
        RatingOutcome::Recorded
    );
    let by_mail = store
        .survey_rating(recorded[1].id)
        .await
        .expect("read")
        .expect("rated");
    assert_eq!((by_mail.rating, by_mail.source), (2, RatingSource::Email));
    // An unknown consultation is refused by the database (foreign key).
    assert!(store
        .record_rating(recorded[1].id + 100, 3, RatingSource::Web, june(14))
        .await
        .is_err());
}

async fn a_comment_needs_a_rating_and_the_first_one_is_kept(db: &TestDb) {
    let store = &db.store;
    let id = record(store, &batch([1]), june(10)).await[0].id;
    assert!(!store
        .record_comment(id, "Muy rápido", june(11))
        .await
        .expect("no rating yet"));
    store
        .record_rating(id, 5, RatingSource::Web, june(11))
        .await
        .expect("rate");
    assert!(!store
        .record_comment(id, "   ", june(11))
        .await
        .expect("blank"));
    let long = "á".repeat(2_500);
    assert!(store
        .record_comment(id, &format!("  {long}  "), june(12))
        .await
        .expect("first comment"));
    assert!(!store
        .record_comment(id, "Otro comentario", june(13))
        .await
        .expect("second comment"));
    let kept = store.survey_rating(id).await.expect("read").expect("rated");
    let comment = kept.comment.expect("comment kept");
    assert_eq!(comment.chars().count(), 2_000);
    assert!(comment.chars().all(|c| c == 'á'));
    assert_eq!(kept.commented_at, Some(june(12)));
    assert_eq!(kept.rating, 5);
}

async fn the_survey_summary_counts_satisfied_answers_against_the_target(db: &TestDb) {
    let store = &db.store;
    let empty = store.survey_summary().await.expect("summary");
    assert_eq!((empty.total, empty.satisfied_share), (0, None));
    let recorded = record(store, &batch([1, 2, 3, 4, 5]), june(10)).await;
    for (row, stars) in recorded.iter().zip([5, 4, 3, 1]) {
        store
            .record_rating(row.id, stars, RatingSource::Web, june(12))
            .await
            .expect("rate");
    }
    let summary = store.survey_summary().await.expect("summary");
    assert_eq!(summary.counts, [1, 0, 1, 1, 1]);
    assert_eq!((summary.total, summary.satisfied), (4, 3));
    assert_eq!(summary.satisfied_share, Some(0.75));
    let report = store
        .status(june(12), june(12) + chrono::TimeDelta::hours(12))
        .await
        .expect("status");
    assert_eq!(report.survey, summary);
    let text = report.to_string();
    assert!(
        text.contains("Encuesta: 4 respuestas, 3 satisfechas (75 %; meta 85 %)"),
        "{text}"
    );
}
