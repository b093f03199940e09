//! robots.txt (RFC 9309) for careers pages: documented APIs are meant for programs, but a
//! company's own website says in robots.txt what it wants crawled, and Jobscout obeys. The
//! group naming our product token wins over `*`; the longest matching rule decides (Allow on a
//! tie); `*` and a final `$` work as in the RFC. A missing robots.txt (4xx) allows everything;
//! an unreachable one (5xx, no answer) allows nothing for now.

/// The product token Jobscout looks for in `User-agent` lines.
pub const AGENT: &str = "jobscout";

/// One group of robots.txt: the user agents it names and its (allow, pattern) rules.
type Group = (Vec<String>, Vec<(bool, String)>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// (allow, pattern)
    rules: Vec<(bool, String)>,
    disallow_all: bool,
}

impl Rules {
    pub fn allow_all() -> Self {
        Rules::default()
    }

    pub fn disallow_all() -> Self {
        Rules {
            rules: Vec::new(),
            disallow_all: true,
        }
    }

    /// Reads the rules of the group for [`AGENT`], else of `*`.
    pub fn parse(text: &str) -> Self {
        let mut groups: Vec<Group> = Vec::new();
        let mut open_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !open_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    open_agents = true;
                    if let Some(group) = groups.last_mut() {
                        group.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    open_agents = false;
                    if let Some(group) = groups.last_mut()
                        && !value.is_empty()
                    {
                        group.1.push((key == "allow", value.to_string()));
                    }
                }
                _ => {}
            }
        }
        let ours = groups.iter().find(|(agents, _)| {
            agents
                .iter()
                .any(|a| a != "*" && AGENT.contains(a.as_str()))
        });
        let any = groups
            .iter()
            .find(|(agents, _)| agents.iter().any(|a| a == "*"));
        Rules {
            rules: ours
                .or(any)
                .map(|(_, rules)| rules.clone())
                .unwrap_or_default(),
            disallow_all: false,
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if self.disallow_all {
            return false;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let better = match best {
                    None => true,
                    Some((len, was_allow)) => {
                        pattern.len() > len || (pattern.len() == len && *allow && !was_allow)
                    }
                };
                if better {
                    best = Some((pattern.len(), *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt pattern against a path: a prefix, with `*` for any run of characters and a
/// final `$` anchoring the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    !anchored || rest.is_empty() || (parts.len() > 1 && parts.last() == Some(&""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_group_wins_and_the_longest_rule_decides() {
        let rules = Rules::parse(
            "User-agent: *\nDisallow: /\n\n# for us\nUser-agent: Jobscout\nDisallow: /careers/private\nAllow: /careers/private/open$\nDisallow: /*.pdf$\n",
        );
        assert!(rules.allows("/careers/"));
        assert!(!rules.allows("/careers/private/x"));
        assert!(rules.allows("/careers/private/open"));
        assert!(!rules.allows("/careers/private/open/more"));
        assert!(!rules.allows("/files/jobs.pdf"));
        assert!(rules.allows("/files/jobs.pdf?x=1"));
    }

    #[test]
    fn the_star_group_and_empty_rules() {
        let rules = Rules::parse("User-agent: *\nDisallow: /admin\nDisallow:\n");
        assert!(rules.allows("/careers"));
        assert!(!rules.allows("/admin/jobs"));
        assert!(Rules::parse("").allows("/anything"));
        assert!(
            Rules::parse("User-agent: otherbot\nDisallow: /\n").allows("/x"),
            "not our group"
        );
        assert!(!Rules::disallow_all().allows("/"));
        let tie = Rules::parse("User-agent: *\nDisallow: /jobs\nAllow: /jobs\n");
        assert!(tie.allows("/jobs/1"), "allow wins a tie");
    }
}
