//! `jobscout-sim`: a stand-in for the outside world Jobscout talks to (ATS APIs, careers
//! pages, job boards, vLLM), for tests, benchmarks and the offline demo.
