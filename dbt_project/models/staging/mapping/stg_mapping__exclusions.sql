{# The confirmed mapping's `exclusions` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'exclusions') }})

select * from source
