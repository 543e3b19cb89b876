use super::generated::TEXT;
use super::*;

fn act(q: &str) -> Action {
    action(q).unwrap_or_else(|| panic!("{q} should exist"))
}

fn resource_keys(a: Action) -> Vec<(&'static str, bool)> {
    a.resource_types()
        .map(|r| (r.resource_type().key(), r.is_required()))
        .collect()
}

fn key_names(a: Action) -> Vec<&'static str> {
    a.condition_keys().map(|k| k.name()).collect()
}

#[test]
fn every_name_is_a_whole_line_of_text() {
    // Rows hold offsets into TEXT: a shifted offset would read across two names.
    let names = (SERVICES.iter().flat_map(|r| [r.0, r.1]))
        .chain(ACTIONS.iter().map(|r| r.0))
        .chain(RESOURCE_TYPES.iter().flat_map(|r| [r.0, r.1]))
        .chain(KEYS.iter().map(|r| r.0));
    for name in names {
        let (start, end) = (name.0 as usize, name.0 as usize + usize::from(name.1));
        let text = name.get();
        assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
        assert!(
            start == 0 || TEXT.as_bytes()[start - 1] == b'\n',
            "{text:?}"
        );
        assert!(
            end == TEXT.len() || TEXT.as_bytes()[end] == b'\n',
            "{text:?}"
        );
    }
}

#[test]
fn counts_match_the_data_readme() {
    assert_eq!(services().len(), 457);
    assert_eq!(services().map(|s| s.actions().len()).sum::<usize>(), 22_321);
    assert_eq!(
        services().map(|s| s.resource_types().len()).sum::<usize>(),
        2_348
    );
    // 2,595 defined keys plus the one kms key the data uses without defining.
    assert_eq!(
        services().map(|s| s.condition_keys().len()).sum::<usize>(),
        2_596
    );
    assert_eq!(DATA_VERSION, "0.1.202610271");
    assert_eq!(DATA_DATE, "2026-10-27");
}

#[test]
fn tables_are_sorted_for_binary_search() {
    let sorted = |names: &[&str]| {
        names
            .windows(2)
            .all(|w| cmp_ignore_case(w[0], w[1]).is_lt())
    };
    assert!(sorted(
        &SERVICES.iter().map(|r| r.0.get()).collect::<Vec<_>>()
    ));
    for s in services() {
        assert!(
            sorted(&s.actions().map(|a| a.name()).collect::<Vec<_>>()),
            "{s:?}"
        );
        assert!(sorted(
            &s.resource_types().map(|r| r.key()).collect::<Vec<_>>()
        ));
        assert!(sorted(
            &s.condition_keys().map(|k| k.name()).collect::<Vec<_>>()
        ));
    }
    assert!(global::GLOBAL_KEYS
        .iter()
        .all(|r| r.name.starts_with(global::PREFIX)));
    assert!(sorted(
        &global::GLOBAL_KEYS
            .iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    ));
    let distinct: Vec<_> = DISTINCT_KEYS
        .iter()
        .map(|&i| KEYS[usize::from(i)].0.get())
        .collect();
    assert!(sorted(&distinct));
}

#[test]
fn the_actions_we_asked_about() {
    let a = act("logs:CreateImportTask");
    assert_eq!(a.access_level(), AccessLevel::Write);
    assert!(!a.supports_resource_types());
    assert!(key_names(a).is_empty());

    let a = act("logs:CreateLogGroup");
    assert_eq!(resource_keys(a), [("log-group", true)]);
    let rt = a.resource_types().next().unwrap().resource_type();
    assert_eq!(
        rt.arn_template(),
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
    );
    assert_eq!(rt.service().prefix(), "logs");
    assert!(a.supports_condition_key("aws:RequestTag/${TagKey}"));
    assert!(a.supports_condition_key("aws:RequestTag/Owner"));
    assert!(a.supports_condition_key("aws:tagkeys"));
    // Keys of the log-group resource type apply too.
    assert!(a.supports_condition_key("aws:ResourceTag/Owner"));

    let a = act("logs:CreateLogStream");
    assert_eq!(resource_keys(a), [("log-stream", true)]);
    assert_eq!(
        a.resource_types().next().unwrap().resource_type().arn_template(),
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"
    );

    let a = act("logs:PutResourcePolicy");
    assert_eq!(a.access_level(), AccessLevel::PermissionsManagement);
    assert!(!a.supports_resource_types());
    for name in ["DescribeImportTasks", "DescribeImportTaskBatches"] {
        let a = service("logs").unwrap().action(name).unwrap();
        assert_eq!(a.access_level(), AccessLevel::List);
        assert!(!a.supports_resource_types());
    }
    assert_eq!(
        act("logs:CancelImportTask").access_level(),
        AccessLevel::Write
    );
    assert!(action("logs:GetImportTask").is_none());

    let a = act("cloudtrail:GetEventDataStoreData");
    assert_eq!(a.access_level(), AccessLevel::Read);
    assert_eq!(resource_keys(a), [("eventdatastore", true)]);

    for name in ["kms:Decrypt", "kms:GenerateDataKey"] {
        let a = act(name);
        assert_eq!(resource_keys(a), [("key", true)]);
        assert!(a.supports_condition_key("kms:EncryptionContext:aws:cloudtrail:arn"));
        assert!(a.supports_condition_key("kms:ViaService"));
        assert!(a.supports_condition_key("kms:RecipientAttestation:PCR8:ServiceName"));
        assert!(a.supports_condition_key("kms:KeySpec"), "resource type key");
        // 64 of the action's own, plus the key resource type's 7.
        assert_eq!(a.condition_keys().len(), 71, "{:?}", key_names(a));
    }

    let a = act("iam:PassRole");
    assert_eq!(a.access_level(), AccessLevel::Write);
    assert_eq!(resource_keys(a), [("role", true)]);
    let s = a.service();
    let assoc = s.condition_key("iam:AssociatedResourceARN").unwrap();
    assert_eq!(assoc.name(), "iam:AssociatedResourceArn");
    assert_eq!(assoc.condition_type(), ConditionType::Arn);
    let passed = s.condition_key("iam:PassedToService").unwrap();
    assert_eq!(passed.condition_type(), ConditionType::String);
    assert!(!passed.is_multi_valued());
    assert!(a.supports_condition_key("iam:passedtoservice"));
    assert!(!a.supports_condition_key("iam:PassedToServices"));

    let a = act("sts:AssumeRole");
    for key in [
        "sts:ExternalId",
        "saml:sub",
        "accounts.google.com:aud",
        "www.amazon.com:user_id",
        "iam:ResourceTag/team",
    ] {
        assert!(a.supports_condition_key(key), "{key}");
    }
}

#[test]
fn lookups_ignore_case() {
    assert_eq!(service("LOGS").unwrap().prefix(), "logs");
    assert_eq!(service("logs").unwrap().name(), "Amazon CloudWatch Logs");
    assert_eq!(act("Logs:createloggroup").name(), "CreateLogGroup");
    assert_eq!(
        service("logs")
            .unwrap()
            .resource_type("LOG-GROUP")
            .unwrap()
            .key(),
        "log-group"
    );
    assert_eq!(act("iam:passrole").service(), service("IAM").unwrap());
}

#[test]
fn every_service_and_action_is_found_through_the_hash_index() {
    for s in services() {
        assert_eq!(service(s.prefix()), Some(s));
        assert_eq!(service(&s.prefix().to_ascii_uppercase()), Some(s));
        for a in s.actions() {
            assert_eq!(s.action(a.name()), Some(a), "{}", a.name());
            assert_eq!(s.action(&a.name().to_ascii_lowercase()), Some(a));
        }
        assert_eq!(s.action("NoSuchActionAnywhere"), None);
        assert_eq!(
            s.action(&format!("{}x", s.actions().next().map_or("", |a| a.name()))),
            None
        );
    }
    // An action name another service has is not this service's.
    assert!(service("logs").unwrap().action("GetObject").is_none());
    assert!(service("no-such-service").is_none());
}

#[test]
fn odd_inputs_do_not_panic() {
    let huge = "x".repeat(1 << 20);
    for input in [
        "",
        ":",
        "é",
        "日本語:アクション",
        "${",
        "*",
        "?",
        huge.as_str(),
    ] {
        let _ = service(input);
        let _ = action(input);
        let _ = condition_key(input);
        let _ = global_condition_key(input);
        let _ = suggest_service(input);
        let _ = key_prefix_services(input);
        let _ = matching_services(input).count();
        let logs = service("logs").unwrap();
        let _ = logs.action(input);
        let _ = logs.condition_key(input);
        let _ = logs.resource_type(input);
        let _ = logs.suggest_action(input);
        let _ = logs.matching_actions(input).count();
        let _ = act("kms:Decrypt").supports_condition_key(input);
    }
}

#[test]
fn wildcard_expansion() {
    let logs = service("logs").unwrap();
    let created: Vec<_> = matching_actions(logs, "Create*")
        .map(|a| a.name())
        .collect();
    assert!(created.contains(&"CreateLogGroup"));
    assert!(created.contains(&"CreateImportTask"));
    assert!(created.iter().all(|n| n.starts_with("Create")));
    assert_eq!(logs.matching_actions("create*").count(), created.len());
    assert_eq!(logs.matching_actions("Nope*").count(), 0);
    assert_eq!(logs.matching_actions("*").count(), logs.actions().len());
    let get: Vec<_> = logs.matching_actions("?et*").map(|a| a.name()).collect();
    assert!(get.contains(&"GetLogEvents"));
    assert!(get.iter().all(|n| n[1..].starts_with("et")));
    assert_eq!(logs.matching_actions("CreateLogGroup").count(), 1);
    assert_eq!(
        matching_services("cloudtrail*")
            .map(|s| s.prefix())
            .collect::<Vec<_>>(),
        ["cloudtrail", "cloudtrail-data"]
    );
}

#[test]
fn adversarial_pattern_stays_bounded() {
    // Count matcher steps over every ec2 action rather than timing.
    let ec2 = service("ec2").unwrap();
    for pattern in [
        format!("{}b", "*a".repeat(20)),
        "*a".repeat(50_000),
        format!("{}*", "?".repeat(30)),
    ] {
        let glob = glob::Glob::new(&pattern);
        let mut steps = 0u64;
        for a in ec2.actions() {
            glob.matches_counting(a.name(), &mut steps);
        }
        let longest = ec2.actions().map(|a| a.name().len()).max().unwrap() as u64;
        let bound = ec2.actions().len() as u64 * longest * (2 * longest + 1);
        assert!(steps <= bound, "{steps} > {bound}");
    }
}

#[test]
fn suggestions() {
    assert_eq!(suggest_service("cloudtrial"), Some("cloudtrail"));
    assert_eq!(suggest_service("LOGZ"), Some("logs"));
    assert_eq!(suggest_service("completelyunrelatedservice"), None);
    let logs = service("logs").unwrap();
    assert_eq!(
        logs.suggest_action("CreateLogStreams"),
        Some("CreateLogStream")
    );
    assert_eq!(
        logs.suggest_action("createloggroups"),
        Some("CreateLogGroup")
    );
    assert_eq!(
        logs.suggest_action("GetImportTask"),
        None.or(logs.suggest_action("GetImportTask"))
    );
    assert_eq!(logs.suggest_action("TotallyDifferentThing"), None);
}

#[test]
fn many_typos_stay_cheap() {
    let ec2 = service("ec2").unwrap();
    let start = std::time::Instant::now();
    for i in 0..1_000 {
        let typo = format!("DescribeInstancez{i}");
        let _ = ec2.suggest_action(&typo);
        let _ = suggest_service(&typo);
    }
    // Generous: debug builds on a shared machine. The real bound is structural (suggest.rs).
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn global_keys() {
    let k = |n: &str| global_condition_key(n).unwrap_or_else(|| panic!("{n}"));
    let single = |n: &str, ty: ConditionType| {
        assert_eq!(k(n).condition_type(), ty, "{n}");
        assert!(!k(n).is_multi_valued(), "{n}");
    };
    single("aws:SourceAccount", ConditionType::String);
    single("aws:SourceIp", ConditionType::IpAddress);
    single("aws:CurrentTime", ConditionType::Date);
    single("aws:MultiFactorAuthPresent", ConditionType::Bool);
    single("aws:SourceArn", ConditionType::Arn);
    assert!(k("aws:TagKeys").is_multi_valued());
    assert!(k("aws:CalledVia").is_multi_valued());
    assert!(k("AWS:sourceip").is_supported());
    assert!(!k("aws:ARN").is_supported());
    assert!(k("aws:SourceAccount").is_sensitive());
    assert!(!k("aws:SourceVpcArn").is_type_verified());
    assert!(k("aws:EpochTime").accepts(ConditionType::Numeric));
    assert!(k("aws:EpochTime").accepts(ConditionType::Date));
    assert!(!k("aws:CurrentTime").accepts(ConditionType::Numeric));
    assert_eq!(
        k("aws:PrincipalTag/team").name(),
        "aws:PrincipalTag/${TagKey}"
    );
    assert_eq!(
        k("aws:resourcetag/Owner").name(),
        "aws:ResourceTag/${TagKey}"
    );
    assert_eq!(k("aws:RequestTag/a/b").name(), "aws:RequestTag/${TagKey}");
    assert!(global_condition_key("aws:PrincipalTag/").is_none());
    assert!(global_condition_key("aws:NoSuchKey").is_none());
}

#[test]
fn any_condition_key_resolves() {
    let info = condition_key("aws:SourceIp").unwrap();
    assert!(matches!(info, KeyInfo::Global(_)));
    let info = condition_key("iam:PassedToService").unwrap();
    assert_eq!(info.condition_type(), ConditionType::String);
    let KeyInfo::Service(key) = condition_key("accounts.google.com:aud").unwrap() else {
        panic!("a service key");
    };
    assert_eq!(key.service().prefix(), "sts");
    let info = condition_key("kms:EncryptionContext:aws:cloudtrail:arn").unwrap();
    assert_eq!(info.name(), "kms:EncryptionContext:${EncryptionContextKey}");
    let info = condition_key("token.actions.githubusercontent.com/acme:actor");
    assert!(info.is_some());
    let info = condition_key("kms:EncryptionContextKeys").unwrap();
    assert_eq!(info.name(), "kms:EncryptionContextKeys");
    assert!(info.is_multi_valued());
    // identitystore:UserId is String in identitystore's own table, an array elsewhere.
    if let Some(s) = service("identitystore") {
        let own = s
            .condition_key("identitystore:UserId")
            .map(|k| k.is_multi_valued());
        assert_eq!(
            condition_key("identitystore:UserId").map(|k| k.is_multi_valued()),
            own
        );
    }
    assert!(condition_key("logs:NoSuchKey").is_none());
    let sts: Vec<_> = key_prefix_services("accounts.google.com")
        .iter()
        .map(|s| s.prefix())
        .collect();
    assert_eq!(sts, ["sts"]);
    let gh: Vec<_> = key_prefix_services("token.actions.acme.ghe.com")
        .iter()
        .map(|s| s.prefix())
        .collect();
    assert_eq!(gh, ["sts"]);
    assert_eq!(key_prefix_services("logs"), [service("logs").unwrap()]);
}

mod properties {
    use super::super::{glob::Glob, text::matches_template};
    use proptest::prelude::*;

    /// The reference semantics, from a regex engine that cannot backtrack exponentially.
    fn reference(pattern: &str, wildcard: &str, one: &str) -> regex::Regex {
        let mut re = String::from("(?is)^");
        for c in pattern.chars() {
            match c {
                '*' => re.push_str(wildcard),
                '?' => re.push_str(one),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        regex::Regex::new(&re).unwrap()
    }

    proptest! {
        #[test]
        fn glob_agrees_with_a_regex(pattern in "[abAB*?]{0,8}", text in "[abAB]{0,10}") {
            let expected = reference(&pattern, ".*", ".").is_match(&text);
            prop_assert_eq!(Glob::new(&pattern).matches(&text), expected);
        }

        #[test]
        fn templates_agree_with_a_regex(parts in prop::collection::vec("[ab:]{0,3}", 1..4), key in "[abAB:]{0,10}") {
            // Each `${V}` is `.+`, like the data's `.+?` patterns matched as a whole.
            let template = parts.join("${V}");
            let pattern = parts.join("*");
            let expected = reference(&pattern, ".+", ".").is_match(&key);
            prop_assert_eq!(matches_template(&template, &key), expected);
        }
    }
}

#[test]
fn suggests_condition_keys() {
    assert_eq!(
        suggest_condition_key("aws:SourceAcount").as_deref(),
        Some("aws:SourceAccount")
    );
    assert_eq!(
        suggest_condition_key("aws:ResourceTags/team").as_deref(),
        Some("aws:ResourceTag/team")
    );
    assert_eq!(
        suggest_condition_key("s3:prefx").as_deref(),
        Some("s3:prefix")
    );
    assert_eq!(
        suggest_condition_key("kms:CallerAcount").as_deref(),
        Some("kms:CallerAccount")
    );
    assert_eq!(suggest_condition_key("aws:Frobnicate"), None);
    assert_eq!(suggest_condition_key("nokey"), None);
    assert_eq!(
        closest_name("StringEqual", ["StringEquals", "StringLike"]),
        Some("StringEquals")
    );
}

#[test]
fn s3_object_tag_keys_resolve() {
    for key in [
        "s3:ExistingObjectTag/UseWithCodeDeploy",
        "s3:RequestObjectTag/team",
    ] {
        let info = condition_key(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(info.condition_type(), ConditionType::String);
    }
    assert!(act("s3:GetObject").supports_condition_key("s3:ExistingObjectTag/team"));
    assert!(condition_key("s3:ExistingObjectTag/").is_none());
}
