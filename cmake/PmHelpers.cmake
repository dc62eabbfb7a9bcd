# Helper functions shared by every CMakeLists.txt of the project.

# pm_apply_sanitizers(target): adds ASan+UBSan flags to an INTERFACE target when PM_SANITIZE is on.
function(pm_apply_sanitizers target)
    if(PM_SANITIZE)
        set(flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_compile_options(${target} INTERFACE ${flags})
        target_link_options(${target} INTERFACE ${flags})
    endif()
endfunction()

# pm_add_test(name SOURCES ... LIBS ... [LABELS ...] [ENVIRONMENT ...] [TIMEOUT s])
# One executable per test class, registered with CTest. GUI tests get the offscreen platform.
function(pm_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE pm_common_cfg Qt6::Test ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        PM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
        PM_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    set(env "LC_ALL=C.UTF-8" "QT_QPA_PLATFORM=offscreen" ${ARG_ENVIRONMENT})
    if(PM_SANITIZE)
        list(APPEND env "ASAN_OPTIONS=detect_leaks=1" "UBSAN_OPTIONS=print_stacktrace=1")
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
    if(ARG_TIMEOUT)
        set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
    else()
        set_tests_properties(${name} PROPERTIES TIMEOUT 300)
    endif()
endfunction()
