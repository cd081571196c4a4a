//! The frameworks as CASE 1.1 packages: every document, package, item and association the
//! service answers is valid against 1EdTech's published JSON Schemas (draft 2019-09 and the
//! stricter 2020-12 REST binding), the tree matches the framework, identifiers are stable, and
//! badges align to the items.

use crate::common;

use common::TestApp;
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/case")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file"))
        .expect("schema JSON")
}

/// Fails with every schema error listed when `doc` is not valid against each named schema.
fn assert_valid(doc: &Value, schemas: &[&str]) {
    for name in schemas {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema(name))
            .expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

fn path_of(uri: &str) -> String {
    let at = uri.find("/ims/case/v1p1/").expect("a CASE URI");
    uri[at..].to_owned()
}

async fn json(app: &TestApp, path: &str) -> Value {
    let reply = app.api_get(path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).expect("JSON")
}

both_engines! {
    async fn every_framework_is_a_valid_case_package_whose_parts_resolve(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let docs = json(&app, "/ims/case/v1p1/CFDocuments").await;
        assert_valid(&docs, &["case_v1p1_cfdocumentset-jsonschema1.json", "getAllCFDocuments-200-responsepayload-schema.json"]);
        let docs = docs["CFDocuments"].as_array().expect("documents").clone();
        assert_eq!(docs.len(), 2, "the MCF and PL2");
        for doc in &docs {
            let package_path = path_of(doc["CFPackageURI"]["uri"].as_str().expect("package URI"));
            let package = json(&app, &package_path).await;
            assert_valid(&package, &["case_v1p1_cfpackage-jsonschema1.json", "getCFPackage-200-responsepayload-schema.json"]);
            let one = json(&app, &path_of(doc["uri"].as_str().expect("uri"))).await;
            assert_valid(&one, &["case_v1p1_cfdocument-jsonschema1.json", "getCFDocument-200-responsepayload-schema.json"]);
            assert_eq!(one["identifier"], doc["identifier"]);

            let items = package["CFItems"].as_array().expect("items");
            let associations = package["CFAssociations"].as_array().expect("associations");
            // Every item has exactly one parent link, and it points at an item of the package
            // or at the document.
            assert_eq!(items.len(), associations.len());
            for a in associations {
                assert_eq!(a["associationType"], "isChildOf");
                let origin = a["originNodeURI"]["identifier"].as_str().expect("origin");
                assert!(items.iter().any(|i| i["identifier"] == origin), "{a}");
                let parent = &a["destinationNodeURI"]["identifier"];
                assert!(*parent == doc["identifier"] || items.iter().any(|i| i["identifier"] == *parent), "{a}");
            }
            // Each item and association resolves on its own, valid as served alone.
            for item in items {
                let alone = json(&app, &path_of(item["uri"].as_str().expect("uri"))).await;
                assert_valid(&alone, &["case_v1p1_cfitem-jsonschema1.json", "getCFItem-200-responsepayload-schema.json"]);
                assert_eq!(alone["fullStatement"], item["fullStatement"]);
                assert_eq!(alone["CFDocumentURI"]["identifier"], doc["identifier"]);
            }
            for a in associations {
                let alone = json(&app, &path_of(a["uri"].as_str().expect("uri"))).await;
                assert_valid(&alone, &["case_v1p1_cfassociation-jsonschema1.json", "getCFAssociation-200-responsepayload-schema.json"]);
            }
        }

        // The MCF's tree, counted from the framework itself: 4 domains, 7 competencies, 38
        // indicators, each indicator's statement the indicator's wording.
        let mcf = docs.iter().find(|d| d["title"] == "Mentoring Competency Framework").expect("mcf");
        let package = json(&app, &path_of(mcf["CFPackageURI"]["uri"].as_str().expect("uri"))).await;
        let count = |t: &str| package["CFItems"].as_array().map_or(0, |i| i.iter().filter(|x| x["CFItemType"] == t).count());
        assert_eq!((count("Domain"), count("Competency"), count("Indicator")), (4, 7, 38));
        let competency: Value = serde_json::from_str(&app.api_get("/api/competency?framework=mcf&competency=communication").await.body).expect("json");
        for indicator in competency["indicators"].as_array().expect("indicators") {
            assert!(
                package["CFItems"].as_array().expect("items").iter().any(|i| i["fullStatement"] == indicator["text"] && i["CFItemType"] == "Indicator"),
                "{indicator}"
            );
        }

        // Unknown identifiers: 404 with a valid imsx_StatusInfo.
        for kind in ["CFItems", "CFAssociations", "CFDocuments", "CFPackages"] {
            let reply = app.api_get(&format!("/ims/case/v1p1/{kind}/00000000-0000-4000-8000-000000000000")).await;
            assert_eq!(reply.status, 404, "{kind}");
            let body: Value = serde_json::from_str(&reply.body).expect("json");
            assert_valid(&body, &["case_v1p1_imsx_statusinfo-jsonschema1.json"]);
            assert_eq!(body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"], "unknownobject");
            // Not a UUID at all: 400, invalid_uuid.
            let reply = app.api_get(&format!("/ims/case/v1p1/{kind}/communication")).await;
            assert_eq!(reply.status, 400, "{kind}");
            let body: Value = serde_json::from_str(&reply.body).expect("json");
            assert_valid(&body, &["case_v1p1_imsx_statusinfo-jsonschema1.json"]);
            assert_eq!(body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"], "invalid_uuid");
        }
    }

    async fn badges_align_to_the_case_items_of_their_competencies(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let achievement = json(&app, "/achievements/mcf/professional-relationships").await;
        let alignments = achievement["alignment"].as_array().expect("alignments");
        let case: Vec<&Value> = alignments.iter().filter(|a| a["targetType"] == "CFItem").collect();
        let pages = alignments.len() - case.len();
        assert_eq!(case.len(), 3, "communication, collaboration, problem-solving");
        assert_eq!(pages, case.len(), "each competency also by its page");
        for a in case {
            let item = json(&app, &path_of(a["targetUrl"].as_str().expect("url"))).await;
            assert_eq!(item["identifier"], a["targetCode"]);
            assert_eq!(item["CFItemType"], "Competency");
            assert!(item["fullStatement"].as_str().unwrap_or_default().starts_with(a["targetName"].as_str().unwrap_or("?")));
        }
    }
}
