//! The CloudFormation YAML front end: the tree it builds (the JSON parser's shape), exact byte
//! spans, the short-form tags, and bad input that must be an error at the right place, never a
//! panic, a hang or an out-of-memory.

use iamlint::source::{parse_yaml, LineIndex, Node, ParseError, Value, ALIAS_BUDGET};

fn parse(text: &str) -> Node<'_> {
    parse_yaml(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
}

fn error(text: &str) -> (ParseError, u32, u32) {
    let error = parse_yaml(text).expect_err("must be refused");
    let at = LineIndex::new(text).line_col(text, error.span.start);
    (error, at.line, at.column)
}

/// The node at a path of keys and indexes.
fn at<'a, 's>(node: &'a Node<'s>, path: &[&str]) -> &'a Node<'s> {
    path.iter()
        .fold(node, |node, step| match step.parse::<usize>() {
            Ok(i) => &node.as_array().expect("an array")[i],
            Err(_) => &node.get(step).unwrap_or_else(|| panic!("no {step}")).value,
        })
}

fn source<'t>(text: &'t str, node: &Node) -> &'t str {
    &text[node.span.range()]
}

#[test]
fn scalars_keep_their_text_and_only_json_shaped_ones_are_typed() {
    let text = "a: 0123\nb: 2012-10-17\nc: 12\nd: true\ne: ~\nf: '12'\ng: 1.5e3\nh: 0x1F\ni: yes\n";
    let root = parse(text);
    let value = |k: &str| at(&root, &[k]).value.clone();
    assert_eq!(value("a"), Value::String("0123".into()));
    assert_eq!(value("b"), Value::String("2012-10-17".into()));
    assert_eq!(value("c"), Value::Number("12"));
    assert_eq!(value("d"), Value::Bool(true));
    assert_eq!(value("e"), Value::Null);
    assert_eq!(value("f"), Value::String("12".into()));
    assert_eq!(value("g"), Value::Number("1.5e3"));
    assert_eq!(value("h"), Value::String("0x1F".into()));
    assert_eq!(value("i"), Value::String("yes".into()));
}

#[test]
fn spans_are_bytes_after_non_ascii_text() {
    let text = "# é → ü\nKey: \"välue\"\nNext: [a, 'b', {c: d}]\n";
    let root = parse(text);
    let key = &root.as_object().unwrap()[0].key;
    assert_eq!(&text[key.span.range()], "Key");
    assert_eq!(source(text, at(&root, &["Key"])), "\"välue\"");
    assert_eq!(source(text, at(&root, &["Next"])), "[a, 'b', {c: d}]");
    assert_eq!(source(text, at(&root, &["Next", "1"])), "'b'");
    assert_eq!(source(text, at(&root, &["Next", "2"])), "{c: d}");
    assert_eq!(source(text, at(&root, &["Next", "2", "c"])), "d");
}

#[test]
fn block_collections_span_their_content() {
    let text = "Top:\n  A: 1\n  List:\n    - x\n    - y: z\n\nAfter: 2\n";
    let root = parse(text);
    assert_eq!(
        source(text, at(&root, &["Top"])),
        "A: 1\n  List:\n    - x\n    - y: z"
    );
    assert_eq!(source(text, at(&root, &["Top", "List"])), "- x\n    - y: z");
    assert_eq!(source(text, at(&root, &["Top", "List", "1"])), "y: z");
}

#[test]
fn an_indentless_sequence_is_not_its_first_item() {
    let text = "S:\n- Effect: Allow\n  Action: x\nT: 1\n";
    let root = parse(text);
    assert_eq!(
        source(text, at(&root, &["S"])),
        "- Effect: Allow\n  Action: x"
    );
    assert_eq!(
        source(text, at(&root, &["S", "0"])),
        "Effect: Allow\n  Action: x"
    );
}

#[test]
fn short_form_tags_become_the_long_form_object() {
    let text = "A: !Sub \"arn:${AWS::Partition}:s3:::b\"\nB: !Ref Param\nC: !GetAtt [Role, Arn]\nD: !If\n  - IsProd\n  - x\n  - !Ref AWS::NoValue\nE: !Join ['', [a, !Ref B]]\n";
    let root = parse(text);
    let a = at(&root, &["A"]);
    let member = &a.as_object().unwrap()[0];
    assert_eq!(member.key.name, "Fn::Sub");
    assert_eq!(&text[member.key.span.range()], "!Sub");
    assert_eq!(
        source(text, &member.value),
        "\"arn:${AWS::Partition}:s3:::b\""
    );
    assert_eq!(source(text, a), "!Sub \"arn:${AWS::Partition}:s3:::b\"");
    assert_eq!(at(&root, &["B", "Ref"]).as_str(), Some("Param"));
    assert_eq!(source(text, at(&root, &["C", "Fn::GetAtt"])), "[Role, Arn]");
    let branches = at(&root, &["D", "Fn::If"]);
    assert_eq!(
        source(text, branches),
        "- IsProd\n  - x\n  - !Ref AWS::NoValue"
    );
    assert_eq!(
        at(&root, &["D", "Fn::If", "2", "Ref"]).as_str(),
        Some("AWS::NoValue")
    );
    assert_eq!(
        at(&root, &["E", "Fn::Join", "1", "1", "Ref"]).as_str(),
        Some("B")
    );
}

#[test]
fn every_short_form_tag_is_known() {
    for tag in [
        "Sub",
        "Ref",
        "GetAtt",
        "Join",
        "If",
        "Select",
        "Split",
        "ImportValue",
        "FindInMap",
        "Base64",
        "Cidr",
        "GetAZs",
        "Equals",
        "Not",
        "And",
        "Or",
        "Condition",
        "Transform",
    ] {
        let text = format!("A: !{tag} x\n");
        let root = parse(&text);
        let name = &at(&root, &["A"]).as_object().unwrap()[0].key.name;
        assert!(
            name == tag || *name == format!("Fn::{tag}"),
            "{tag}: {name}"
        );
    }
}

#[test]
fn a_tagged_block_scalar_keeps_its_text() {
    let text = "P: !Sub |\n  {\"Version\": \"2012-10-17\"}\nQ: 1\n";
    let root = parse(text);
    let inner = at(&root, &["P", "Fn::Sub"]);
    assert_eq!(inner.as_str(), Some("{\"Version\": \"2012-10-17\"}\n"));
    assert!(source(text, inner).ends_with("\"2012-10-17\"}"));
}

#[test]
fn duplicate_keys_are_kept() {
    let root = parse("A: 1\nA: 2\n");
    assert_eq!(root.as_object().unwrap().len(), 2);
}

#[test]
fn anchors_and_aliases_expand() {
    let root = parse("A: &x [1, 2]\nB: *x\n");
    assert_eq!(at(&root, &["B"]).as_array().unwrap().len(), 2);
}

#[test]
fn merge_keys_are_refused() {
    let (e, line, column) = error("Base: &b {x: 1}\nOther:\n  <<: *b\n");
    assert!(e.message.contains("merge key"), "{e:?}");
    assert_eq!((line, column), (3, 3));
    // A quoted `<<` is an ordinary key.
    parse("A:\n  '<<': 1\n");
}

#[test]
fn an_alias_bomb_is_an_error() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names: Vec<char> = ('b'..='j').collect();
    let mut previous = 'a';
    for name in &names {
        let items = vec![format!("*{previous}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
        previous = *name;
    }
    let (e, line, _) = error(&text);
    assert!(e.message.contains(&ALIAS_BUDGET.to_string()), "{e:?}");
    assert!(line > 1);
}

#[test]
fn tabs_are_an_error_at_the_tab() {
    let (e, line, column) = error("A:\n\tB: 1\n");
    assert!(e.message.contains("tab"), "{e:?}");
    assert_eq!((line, column), (2, 1));
}

#[test]
fn bad_indentation_is_an_error_at_its_line() {
    let (_, line, _) = error("A:\n    B: 1\n  C: 2\n");
    assert_eq!(line, 3);
}

#[test]
fn unknown_tags_are_an_error_at_the_tag() {
    let (e, line, column) = error("A: 1\nB: !Foo x\n");
    assert!(e.message.contains("`!Foo`"), "{e:?}");
    assert_eq!((line, column), (2, 4));
    // The core schema's tags restate a type and are accepted.
    assert_eq!(at(&parse("A: !!str 12\n"), &["A"]).as_str(), Some("12"));
    // So is `!`, the non-specific tag, as cfn-lint's `good/no_value.yaml` writes a key.
    let flow = parse("A: [x, ! \"Ref\": \"AWS::AccountId\"]\n");
    assert_eq!(
        at(&flow, &["A", "1", "Ref"]).as_str(),
        Some("AWS::AccountId")
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let flow = "[".repeat(10_000);
    assert!(parse_yaml(&flow).is_err());
    let mut block = String::new();
    for depth in 0..10_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    let (e, _, _) = error(&block);
    assert!(e.message.contains("deeper"), "{e:?}");
}

#[test]
fn a_second_document_is_an_error() {
    let (_, line, _) = error("A: 1\n---\nB: 2\n");
    assert_eq!(line, 2);
}

#[test]
fn empty_and_comment_only_files_are_errors() {
    assert!(parse_yaml("").is_err());
    assert!(parse_yaml("# nothing\n").is_err());
}

#[test]
fn a_big_template_parses() {
    let mut text = String::from("Resources:\n");
    for i in 0..40_000 {
        text.push_str(&format!(
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub \"q-${{AWS::Region}}-{i}\"\n"
        ));
    }
    let root = parse(&text);
    assert_eq!(at(&root, &["Resources"]).as_object().unwrap().len(), 40_000);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let samples = [
        "{",
        "[",
        "a: [",
        "a: {b",
        "- - - -",
        "&a *a",
        "*a",
        "? [a]\n: b",
        "!Sub",
        "a: !Ref",
        "a: |\n",
        "'unterminated",
        "\"\\x\"",
        "a:\n- b\n c",
        "%YAML 1.2\n---\na: 1",
        ":",
        "-",
        "a: b: c",
        "[a, b]: c",
        "&a a: &a b",
    ];
    for text in samples {
        let _ = parse_yaml(text);
    }
}

/// Every span inside the text and on character boundaries, as the fuzz target checks.
fn spans_are_sound(text: &str, root: &Node) {
    let sound = |span: iamlint::source::Span| {
        span.start <= span.end
            && (span.end as usize) <= text.len()
            && text.is_char_boundary(span.start as usize)
            && text.is_char_boundary(span.end as usize)
    };
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        assert!(sound(node.span), "{text:?}: {:?}", node.span);
        match &node.value {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                for member in members {
                    assert!(sound(member.key.span), "{text:?}: {:?}", member.key.span);
                    stack.push(&member.value);
                }
            }
            _ => {}
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn yaml_like_noise_never_panics_and_spans_stay_sound(
        text in "([a-zé: \\-\\[\\]{},'\"!&*|>#\t\n]|!Sub |!Ref |&a |\\*a|  ){0,60}"
    ) {
        match parse_yaml(&text) {
            Ok(root) => spans_are_sound(&text, &root),
            Err(e) => proptest::prop_assert!(text.is_char_boundary(e.span.start as usize)),
        }
    }
}

/// Lines that CloudFormation and PyYAML accept though the YAML spec wants them indented past
/// their key: the tree is the one the file means, with spans in the file.
#[test]
fn flow_collections_and_quoted_scalars_back_at_their_keys_column_are_read_as_cloudformation_does() {
    // serverless-patterns' apigw-lambda-rust: a flow sequence closed at the key's column.
    let text = "Resources:\n  Api:\n    Properties:\n      Policy:\n        Statement: [{\n          \"Effect\": \"Allow\",\n          \"Resource\": \"execute-api:/*\"\n        }]\n        Version: '2012-10-17'\n";
    let root = parse(text);
    let statement = at(
        &root,
        &["Resources", "Api", "Properties", "Policy", "Statement", "0"],
    );
    assert_eq!(
        source(text, at(statement, &["Resource"])),
        "\"execute-api:/*\""
    );
    assert_eq!(source(text, statement), "{\n          \"Effect\": \"Allow\",\n          \"Resource\": \"execute-api:/*\"\n        }");
    let version = at(
        &root,
        &["Resources", "Api", "Properties", "Policy", "Version"],
    );
    assert_eq!(source(text, version), "'2012-10-17'");
    // A quoted scalar wrapped at its key's column, in a sequence item; folding makes one line.
    let text = "Outputs:\n  - Value: 'Log in,\n    then select\n    your instance'\n    Other: [a,\n  b]\n";
    let root = parse(text);
    assert_eq!(
        at(&root, &["Outputs", "0", "Value"]).value,
        Value::String("Log in, then select your instance".into())
    );
    assert_eq!(
        source(text, at(&root, &["Outputs", "0", "Other", "1"])),
        "b"
    );
    // Brackets and quotes inside a block scalar are its text, not flow syntax.
    let text = "A:\n  Script: |\n    if [ \"$x\" ]; then\n    echo 'it\n  B: [1,\n  2]\n";
    let root = parse(text);
    assert_eq!(
        at(&root, &["A", "Script"]).value,
        Value::String("if [ \"$x\" ]; then\necho 'it\n".into())
    );
    assert_eq!(source(text, at(&root, &["A", "B", "1"])), "2");
}

#[test]
fn what_no_indentation_explains_is_still_an_error_where_the_file_has_it() {
    // A key less indented than its siblings stays an error, reported in the file's own lines.
    let (error, line, _) = error("A:\n  b: [1,\n  2]\n c: x\n");
    assert!(
        error.message.contains("indentation") || error.message.contains("key"),
        "{error:?}"
    );
    assert_eq!(line, 4);
}
