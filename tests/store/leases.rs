//! Leases: one holder until it lapses or is released; many instances racing for one free lease elect one.

use super::*;

on_both_backends!(a_lease_has_one_holder_until_it_lapses_or_is_released,);

async fn a_lease_has_one_holder_until_it_lapses_or_is_released(db: &TestDb) {
    use std::time::Duration;
    let store = &db.store;
    let long = Duration::from_secs(30);
    assert!(store
        .take_lease("mailbox:consultas", "a:1", long)
        .await
        .unwrap());
    assert!(
        !store
            .take_lease("mailbox:consultas", "b:2", long)
            .await
            .unwrap(),
        "a live lease went to a second holder"
    );
    assert!(
        store
            .take_lease("mailbox:consultas", "a:1", long)
            .await
            .unwrap(),
        "renewal"
    );
    let live = store.live_leases().await.unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].name.as_str(), live[0].holder.as_str()),
        ("mailbox:consultas", "a:1")
    );
    // Releasing someone else's lease does nothing; the holder's release frees it at once.
    store
        .release_lease("mailbox:consultas", "b:2")
        .await
        .unwrap();
    assert!(!store
        .take_lease("mailbox:consultas", "b:2", long)
        .await
        .unwrap());
    store
        .release_lease("mailbox:consultas", "a:1")
        .await
        .unwrap();
    assert!(store
        .take_lease("mailbox:consultas", "b:2", long)
        .await
        .unwrap());
    // A lease its holder stopped renewing lapses, and then anyone takes it.
    assert!(store
        .take_lease("mailbox:contacto", "a:1", Duration::from_millis(200))
        .await
        .unwrap());
    assert!(!store
        .take_lease("mailbox:contacto", "b:2", long)
        .await
        .unwrap());
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(store
        .live_leases()
        .await
        .unwrap()
        .iter()
        .all(|l| l.name != "mailbox:contacto"));
    assert!(
        store
            .take_lease("mailbox:contacto", "b:2", long)
            .await
            .unwrap(),
        "takeover"
    );
    assert!(
        !store
            .take_lease("mailbox:contacto", "a:1", long)
            .await
            .unwrap(),
        "the old holder cannot renew"
    );
}

#[tokio::test]
async fn many_instances_racing_for_one_free_lease_on_postgres_elect_one() {
    use std::time::Duration;
    let db = TestDb::postgres().await;
    let mut pools = Vec::new();
    for _ in 0..6 {
        pools.push(Store::connect(&db.url).await.expect("pool"));
    }
    for round in 0..20 {
        let name = format!("mailbox:m{round}");
        let racers = pools.iter().enumerate().map(|(i, store)| {
            let (store, name) = (store.clone(), name.clone());
            tokio::spawn(async move {
                store
                    .take_lease(&name, &format!("h:{i}"), Duration::from_secs(30))
                    .await
                    .unwrap()
            })
        });
        let winners = futures::future::join_all(racers)
            .await
            .into_iter()
            .filter(|won| *won.as_ref().unwrap())
            .count();
        assert_eq!(winners, 1, "round {round}: {winners} holders");
    }
    for store in pools {
        store.close().await;
    }
    db.finish().await;
}
