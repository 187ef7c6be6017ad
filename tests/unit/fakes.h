// Hand-written fakes of telerad's own interfaces, for unit tests of the services: one per
// file in tests/fakes/ (the contract suites in tests/contract/ hold the repository fakes to
// the PostgreSQL repositories' behaviour). Tests include this one header.
#pragma once

#include "tests/fakes/fake_consultation_repository.h"
#include "tests/fakes/fake_facility_repository.h"
#include "tests/fakes/fake_file_store.h"
#include "tests/fakes/fake_instance_file_reader.h"
#include "tests/fakes/fake_instance_images.h"
#include "tests/fakes/fake_kpi_repository.h"
#include "tests/fakes/fake_report_repository.h"
#include "tests/fakes/fake_study_repository.h"
