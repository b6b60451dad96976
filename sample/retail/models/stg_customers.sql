with source as (

    select * from raw_customers

),

renamed as (

    select
        id as customer_id,
        name as customer_name,
        upper(country) as country_code,
        signed_up_on

    from source

)

select * from renamed
